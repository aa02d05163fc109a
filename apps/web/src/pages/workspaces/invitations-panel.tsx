import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { INVITABLE_ROLES, workspacesApi, type InvitableRole, type Workspace } from '../../api/workspaces.api';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field, FormError } from '../../components/field';
import { Input, Select } from '../../components/input';
import { useToast } from '../../components/toast';
import { useFormDraft } from '../../lib/form-draft';
import { formatRelativeTime } from '../../lib/format';

export function InvitationsPanel({ workspace }: { workspace: Workspace }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const draft = useFormDraft(`invite:${workspace.id}`, { email: '', role: 'member' as InvitableRole });
  const [emailError, setEmailError] = useState<string | null>(null);
  const invitations = useQuery({ queryKey: queryKeys.invitations(workspace.slug), queryFn: () => workspacesApi.listInvitations(workspace.slug) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.invitations(workspace.slug) });

  const invite = useMutation({
    mutationFn: () => workspacesApi.inviteMember(workspace.slug, { email: draft.values.email.trim(), role: draft.values.role }),
    onSuccess: (invitation) => {
      draft.discardDraft();
      toast.showSuccess(`Invitation sent to ${invitation.email}.`);
      return refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => workspacesApi.revokeInvitation(workspace.slug, id),
    onSuccess: () => {
      toast.showSuccess('Invitation revoked.');
      return refresh();
    },
    onError: (error) => toast.showError(describeError(error)),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const isValid = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(draft.values.email.trim());
    setEmailError(isValid ? null : 'Enter an email address.');
    if (isValid) invite.mutate();
  };

  const serverError = invite.error instanceof ApiError && invite.error.code === 'MEMBER_ALREADY_EXISTS' ? 'This person is already a member.' : invite.error ? describeError(invite.error) : null;
  const pending = invitations.data?.items.filter((item) => item.status === 'pending') ?? [];

  return (
    <Card title="Invitations" description="Invited people get an email with a link valid for 7 days.">
      <div className="stack">
        <form className="toolbar" onSubmit={submit} noValidate>
          <div className="grow">
            <Field label="Email" error={emailError}>
              {(control) => <Input {...control} type="email" value={draft.values.email} onChange={(event) => draft.updateValues({ email: event.target.value })} />}
            </Field>
          </div>
          <Field label="Role">
            {(control) => (
              <Select {...control} value={draft.values.role} onChange={(event) => draft.updateValues({ role: event.target.value as InvitableRole })}>
                {INVITABLE_ROLES.map((role) => (
                  <option key={role} value={role}>
                    {role[0]!.toUpperCase() + role.slice(1)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Button type="submit" variant="primary" isLoading={invite.isPending}>
            Send invitation
          </Button>
        </form>
        <FormError message={serverError} />
        {pending.length === 0 ? (
          <p className="subtle">{invitations.isPending ? 'Loading invitations…' : 'No pending invitations.'}</p>
        ) : (
          <ul className="list-plain list-rows" aria-label="Pending invitations">
            {pending.map((invitation) => (
              <li key={invitation.id}>
                <span className="grow">
                  <strong>{invitation.email}</strong> <span className="badge">{invitation.role}</span>
                  <br />
                  <span className="subtle">
                    Sent {formatRelativeTime(invitation.createdAt)} · expires {formatRelativeTime(invitation.expiresAt)}
                  </span>
                </span>
                <Button size="sm" variant="ghost" isLoading={revoke.isPending && revoke.variables === invitation.id} onClick={() => revoke.mutate(invitation.id)}>
                  Revoke
                </Button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}
