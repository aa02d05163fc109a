import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { describeError } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { hasPermission, ROLES, workspacesApi, type Member, type Role, type Workspace } from '../../api/workspaces.api';
import { Button } from '../../components/button';
import { ErrorState } from '../../components/empty-state';
import { PlusIcon } from '../../components/icons';
import { Select } from '../../components/input';
import { PageHeader } from '../../components/page-header';
import { LoadingBlock } from '../../components/spinner';
import { Table } from '../../components/table';
import { useToast } from '../../components/toast';
import { formatRelativeTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useSignedInAccount } from '../../session/session';
import { useCurrentWorkspace } from '../shell/workspace-scope';
import { CreateWorkspaceDialog } from './create-workspace-dialog';
import { InvitationsPanel } from './invitations-panel';

const ROLE_LABELS: Record<Role, string> = { owner: 'Owner', admin: 'Admin', member: 'Member', viewer: 'Viewer' };

/** Mirrors the server's canActOnMember/canGrantRole, to hide what it would refuse. */
function canManage(actor: Role, target: Role): boolean {
  return actor === 'owner' || (actor === 'admin' && (target === 'member' || target === 'viewer'));
}

function MemberRow({ member, workspace, isMe }: { member: Member; workspace: Workspace; isMe: boolean }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.members(workspace.slug) });
  const changeRole = useMutation({
    mutationFn: (role: Role) => workspacesApi.changeMemberRole(workspace.slug, member.userId, role),
    onSuccess: () => {
      toast.showSuccess('Role changed.');
      return refresh();
    },
    onError: (error) => toast.showError(describeError(error)),
  });
  const remove = useMutation({
    mutationFn: () => workspacesApi.removeMember(workspace.slug, member.userId),
    onSuccess: () => {
      toast.showSuccess('Member removed.');
      return refresh();
    },
    onError: (error) => toast.showError(describeError(error)),
  });
  const isManageable = !isMe && hasPermission(workspace, 'members.change-role') && canManage(workspace.role, member.role);
  const grantable = ROLES.filter((role) => workspace.role === 'owner' || role !== 'owner');
  const name = member.username ?? `Member ${member.userId.slice(0, 8)}`;

  return (
    <tr>
      <td>
        <div className="row">
          <span className="avatar" aria-hidden="true">
            {name.slice(0, 1).toUpperCase()}
          </span>
          <span>
            <strong>{name}</strong>
            {isMe ? <span className="subtle"> (you)</span> : null}
            {member.email ? (
              <>
                <br />
                <span className="subtle">{member.email}</span>
              </>
            ) : null}
          </span>
        </div>
      </td>
      <td>
        {isManageable ? (
          <Select aria-label={`Role of ${name}`} value={member.role} disabled={changeRole.isPending} onChange={(event) => changeRole.mutate(event.target.value as Role)} style={{ width: 'auto' }}>
            {grantable.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </Select>
        ) : (
          <span className="badge">{ROLE_LABELS[member.role]}</span>
        )}
      </td>
      <td>{formatRelativeTime(member.joinedAt)}</td>
      <td className="table-actions">
        {isManageable && hasPermission(workspace, 'members.remove') ? (
          <Button size="sm" variant="ghost" isLoading={remove.isPending} onClick={() => remove.mutate()}>
            Remove
          </Button>
        ) : null}
      </td>
    </tr>
  );
}

export function MembersPage() {
  const workspace = useCurrentWorkspace();
  const account = useSignedInAccount();
  useDocumentTitle(`Members · ${workspace.name}`);
  const members = useQuery({ queryKey: queryKeys.members(workspace.slug), queryFn: () => workspacesApi.listMembers(workspace.slug) });
  const [isCreating, setCreating] = useState(false);

  return (
    <div className="page">
      <PageHeader
        title="Members"
        description={workspace.kind === 'personal' ? 'Your personal workspace is yours alone. Create a team workspace to work with others.' : `People who can see and build in ${workspace.name}.`}
        actions={
          workspace.kind === 'personal' ? (
            <Button variant="primary" icon={<PlusIcon />} onClick={() => setCreating(true)}>
              Create team workspace
            </Button>
          ) : null
        }
      />
      <CreateWorkspaceDialog isOpen={isCreating} onClose={() => setCreating(false)} />
      {members.isPending ? (
        <LoadingBlock />
      ) : members.isError ? (
        <ErrorState error={members.error} onRetry={() => void members.refetch()} />
      ) : (
        <Table
          label="Members"
          head={
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              <th scope="col"><span className="visually-hidden">Actions</span></th>
            </tr>
          }
        >
          {members.data.items.map((member) => (
            <MemberRow key={member.userId} member={member} workspace={workspace} isMe={member.userId === account.id} />
          ))}
        </Table>
      )}
      {workspace.kind === 'team' && hasPermission(workspace, 'members.invite') ? <InvitationsPanel workspace={workspace} /> : null}
    </div>
  );
}
