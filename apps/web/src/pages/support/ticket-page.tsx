import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { ApiError, describeError } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { ATTACHMENT_MAX_BYTES, supportApi, type TicketSide, type TicketThread } from '../../api/support.api';
import { Button, ButtonLink } from '../../components/button';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { Field, FormError } from '../../components/field';
import { UploadIcon } from '../../components/icons';
import { Textarea } from '../../components/input';
import { PageHeader } from '../../components/page-header';
import { LoadingBlock } from '../../components/spinner';
import { useToast } from '../../components/toast';
import { formatDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useSignedInAccount } from '../../session/session';
import { TicketStatusBadge } from './ticket-status-badge';

const BACK: Record<TicketSide, { to: string; label: string }> = {
  user: { to: '/support', label: 'Your requests' },
  staff: { to: '/admin/support', label: 'Support inbox' },
};

/** `/support/:ticketId` (the user's view) and `/admin/support/:ticketId` (staff's). */
export function TicketPage({ side }: { side: TicketSide }) {
  const { ticketId = '' } = useParams();
  const account = useSignedInAccount();
  const ticket = useQuery({ queryKey: queryKeys.ticket(side, ticketId), queryFn: () => supportApi.get(side, ticketId), retry: false, enabled: side === 'user' || account.isAdmin });
  useDocumentTitle(ticket.data?.subject ?? 'Support request');

  if (side === 'staff' && !account.isAdmin) {
    return (
      <div className="page">
        <EmptyState title="For instance administrators" description="Only this instance’s administrators answer support requests." />
      </div>
    );
  }
  if (ticket.isPending) return <LoadingBlock label="Loading the request…" />;
  if (ticket.isError) {
    return (
      <div className="page">
        {ticket.error instanceof ApiError && ticket.error.status === 404 ? (
          <EmptyState title="This request does not exist" description="It may have been deleted." actions={<ButtonLink to={BACK[side].to}>{BACK[side].label}</ButtonLink>} />
        ) : (
          <ErrorState error={ticket.error} onRetry={() => void ticket.refetch()} />
        )}
      </div>
    );
  }
  return <Conversation side={side} thread={ticket.data} />;
}

function Conversation({ side, thread }: { side: TicketSide; thread: TicketThread }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [body, setBody] = useState('');
  const store = async (next: TicketThread) => {
    queryClient.setQueryData(queryKeys.ticket(side, next.id), next);
    await queryClient.invalidateQueries({ queryKey: ['support', side, 'list'] });
  };
  const reply = useMutation({
    mutationFn: () => supportApi.reply(side, thread.id, body),
    onSuccess: async (next) => {
      setBody('');
      await store(next);
      toast.showSuccess(side === 'staff' ? 'Answer sent. The user is told by mail.' : 'Sent.');
    },
  });
  const close = useMutation({
    mutationFn: () => supportApi.close(side, thread.id),
    onSuccess: async (next) => {
      await store(next);
      toast.showSuccess('Closed.');
    },
    onError: (error) => toast.showError(describeError(error)),
  });
  const fileRef = useRef<HTMLInputElement>(null);
  const attach = useMutation({
    mutationFn: (file: File) => supportApi.attach(side, thread.id, file),
    onSuccess: async (next) => {
      await store(next);
      toast.showSuccess(`${next.attachments.at(-1)?.filename ?? 'The file'} added.`);
    },
    onError: (error) => toast.showError(describeError(error)),
  });
  const chooseFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > ATTACHMENT_MAX_BYTES) toast.showError(`${file.name} is larger than 5 MB.`);
    else attach.mutate(file);
  };
  const fieldErrors = reply.error instanceof ApiError ? reply.error.fieldErrors() : {};
  const isClosed = thread.status === 'closed';
  const canReply = side === 'user' || !isClosed;

  return (
    <div className="page page-narrow">
      <PageHeader
        back={BACK[side]}
        title={thread.subject}
        description={
          <span className="row">
            <TicketStatusBadge status={thread.status} side={side} />
            {side === 'staff' ? <span className="subtle">from {thread.requester?.username ?? 'a deleted account'}</span> : null}
          </span>
        }
        actions={
          isClosed ? null : (
            <Button isLoading={close.isPending} onClick={() => close.mutate()}>
              Close
            </Button>
          )
        }
      />
      <ol className="ticket-thread" aria-label="Conversation">
        {thread.messages.map((message) => (
          <li key={message.id} className={message.authorRole === 'staff' ? 'ticket-message is-staff' : 'ticket-message'}>
            <p className="subtle">
              <strong>{message.authorRole === 'staff' ? 'Staff' : side === 'user' ? 'You' : (thread.requester?.username ?? 'User')}</strong> · {formatDateTime(message.createdAt)}
            </p>
            <p className="ticket-message-body">{message.body}</p>
          </li>
        ))}
      </ol>
      {thread.attachments.length > 0 ? (
        <section aria-label="Files">
          <h2 className="ticket-section-title">Files</h2>
          <ul className="ticket-files">
            {thread.attachments.map((file) => (
              <li key={file.id}>
                <a href={file.url} download={file.filename}>
                  {file.filename}
                </a>{' '}
                <span className="subtle">
                  {Math.max(1, Math.round(file.sizeBytes / 1024))} KB · {file.authorRole === 'staff' ? 'staff' : side === 'user' ? 'you' : 'user'} · {formatDateTime(file.createdAt)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {!isClosed ? (
        <div className="row">
          <input ref={fileRef} type="file" accept="image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,.log,.txt,.json,.csv" hidden aria-label="File to attach" onChange={chooseFile} />
          <Button size="sm" icon={<UploadIcon />} isLoading={attach.isPending} disabled={thread.attachments.length >= 10} onClick={() => fileRef.current?.click()}>
            Attach a file
          </Button>
          <span className="subtle">A screenshot, a PDF or a text file (logs), up to 5 MB, at most 10 per request.</span>
        </div>
      ) : null}
      {canReply ? (
        <form
          className="stack"
          noValidate
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            reply.mutate();
          }}
        >
          <FormError message={reply.isError && Object.keys(fieldErrors).length === 0 ? describeError(reply.error) : null} />
          <Field label={side === 'staff' ? 'Answer' : 'Reply'} hint={isClosed ? 'Replying reopens the request.' : undefined} error={fieldErrors.body}>
            {(control) => <Textarea {...control} rows={5} value={body} maxLength={10_000} onChange={(event) => setBody(event.target.value)} />}
          </Field>
          <div className="row">
            <Button type="submit" variant="primary" isLoading={reply.isPending}>
              {side === 'staff' ? 'Send answer' : 'Send'}
            </Button>
          </div>
        </form>
      ) : (
        <p className="subtle">This request is closed. The user can reopen it by replying.</p>
      )}
    </div>
  );
}
