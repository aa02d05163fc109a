import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, describeError } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { supportApi, type TicketSide, type TicketStatus } from '../../api/support.api';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { Field, FormError } from '../../components/field';
import { MailIcon, PlusIcon } from '../../components/icons';
import { Input, Select, Textarea } from '../../components/input';
import { PageHeader } from '../../components/page-header';
import { LoadingBlock } from '../../components/spinner';
import { Table } from '../../components/table';
import { formatRelativeTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useSignedInAccount } from '../../session/session';
import { TicketStatusBadge } from './ticket-status-badge';

const TEXT: Record<TicketSide, { title: string; description: string; empty: string; emptyDescription: string; path: string }> = {
  user: {
    title: 'Support',
    description: 'Ask the people who run this Weft instance for help. Answers also come by mail.',
    empty: 'No request yet',
    emptyDescription: 'Something not working, or a question about your workflows or bots? Ask here.',
    path: '/support',
  },
  staff: {
    title: 'Support inbox',
    description: 'Every user’s requests, the most recently active first.',
    empty: 'Nothing in the inbox',
    emptyDescription: 'Requests users send from “Support” appear here.',
    path: '/admin/support',
  },
};

/** `/support` (a user's own requests) and `/admin/support` (the staff's inbox). */
export function TicketsPage({ side }: { side: TicketSide }) {
  const text = TEXT[side];
  useDocumentTitle(text.title);
  const account = useSignedInAccount();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') as TicketStatus | null) ?? undefined;
  const [isAsking, setAsking] = useState(false);
  const tickets = useInfiniteQuery({
    queryKey: queryKeys.tickets(side, status),
    queryFn: ({ pageParam }) => supportApi.list(side, status, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: side === 'user' || account.isAdmin,
  });

  if (side === 'staff' && !account.isAdmin) {
    return (
      <div className="page">
        <PageHeader title={text.title} />
        <EmptyState icon={<MailIcon size={22} />} title="For instance administrators" description="Only this instance’s administrators answer support requests." />
      </div>
    );
  }

  const items = tickets.data?.pages.flatMap((page) => page.items) ?? [];
  const askButton =
    side === 'user' ? (
      <Button variant="primary" icon={<PlusIcon />} onClick={() => setAsking(true)}>
        New request
      </Button>
    ) : null;
  return (
    <div className="page">
      <PageHeader title={text.title} description={text.description} actions={askButton} />
      <div className="toolbar" role="group" aria-label="Filter requests">
        <Field label="Status">
          {(control) => (
            <Select {...control} value={status ?? ''} onChange={(event) => setParams(event.target.value ? { status: event.target.value } : {}, { replace: true })}>
              <option value="">All</option>
              <option value="open">{side === 'staff' ? 'Needs an answer' : 'Waiting for staff'}</option>
              <option value="answered">{side === 'staff' ? 'Waiting for the user' : 'Answered'}</option>
              <option value="closed">Closed</option>
            </Select>
          )}
        </Field>
      </div>
      {tickets.isPending ? (
        <LoadingBlock label="Loading requests…" />
      ) : tickets.isError ? (
        <ErrorState error={tickets.error} onRetry={() => void tickets.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState icon={<MailIcon size={22} />} title={status ? 'No request in this state' : text.empty} description={status ? 'Choose “All” to see the others.' : text.emptyDescription} actions={status ? null : askButton} />
      ) : (
        <>
          <Table
            label={text.title}
            head={
              <tr>
                <th scope="col">Subject</th>
                {side === 'staff' ? <th scope="col">From</th> : null}
                <th scope="col">Status</th>
                <th scope="col">Last activity</th>
              </tr>
            }
          >
            {items.map((ticket) => (
              <tr key={ticket.id}>
                <td>
                  <Link to={`${text.path}/${ticket.id}`}>
                    <strong>{ticket.subject}</strong>
                  </Link>
                </td>
                {side === 'staff' ? <td>{ticket.requester?.username ?? 'a deleted account'}</td> : null}
                <td>
                  <TicketStatusBadge status={ticket.status} side={side} />
                </td>
                <td>{formatRelativeTime(ticket.lastMessageAt)}</td>
              </tr>
            ))}
          </Table>
          {tickets.hasNextPage ? (
            <div className="row" style={{ justifyContent: 'center' }}>
              <Button isLoading={tickets.isFetchingNextPage} onClick={() => void tickets.fetchNextPage()}>
                Older requests
              </Button>
            </div>
          ) : null}
        </>
      )}
      {isAsking ? <NewTicketDialog onClose={() => setAsking(false)} /> : null}
    </div>
  );
}

function NewTicketDialog({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const open = useMutation({
    mutationFn: () => supportApi.open({ subject, body }),
    onSuccess: async (thread) => {
      queryClient.setQueryData(queryKeys.ticket('user', thread.id), thread);
      await queryClient.invalidateQueries({ queryKey: ['support', 'user', 'list'] });
      void navigate(`/support/${thread.id}`);
    },
  });
  const fieldErrors = open.error instanceof ApiError ? open.error.fieldErrors() : {};
  return (
    <Dialog
      isOpen
      title="New support request"
      onClose={onClose}
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        open.mutate();
      }}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" isLoading={open.isPending}>
            Send
          </Button>
        </>
      }
    >
      <FormError message={open.isError && Object.keys(fieldErrors).length === 0 ? describeError(open.error) : null} />
      <Field label="Subject" error={fieldErrors.subject}>
        {(control) => <Input {...control} value={subject} maxLength={200} onChange={(event) => setSubject(event.target.value)} />}
      </Field>
      <Field label="What happened?" hint="What you did, what you expected, what you saw instead. Never paste a password or token." error={fieldErrors.body}>
        {(control) => <Textarea {...control} rows={8} value={body} maxLength={10_000} onChange={(event) => setBody(event.target.value)} />}
      </Field>
    </Dialog>
  );
}
