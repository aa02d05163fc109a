import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate } from 'react-router';
import { ApiError, describeError } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { workspacesApi } from '../../api/workspaces.api';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { FormError } from '../../components/field';
import { useToast } from '../../components/toast';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useSignedInAccount } from '../../session/session';

/** `/invitations/accept#token=…` (a fragment: the token never reaches a server log). */
export function AcceptInvitationPage() {
  useDocumentTitle('Join a workspace');
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const toast = useToast();
  const account = useSignedInAccount();
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';

  const accept = useMutation({
    mutationFn: () => workspacesApi.acceptInvitation(token),
    onSuccess: async (workspace) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.workspaces });
      toast.showSuccess(`You joined ${workspace.name}.`);
      void navigate(`/w/${workspace.slug}/workflows`, { replace: true });
    },
  });

  const error = accept.error;
  const message =
    error instanceof ApiError && error.code === 'INVITATION_EMAIL_MISMATCH'
      ? `This invitation was sent to another address than ${account.email}. Log in with the invited account.`
      : error instanceof ApiError && error.code === 'INVITATION_INVALID'
        ? 'This invitation is no longer valid: it expired, was revoked or was already used.'
        : error
          ? describeError(error)
          : null;

  return (
    <div className="page page-narrow">
      <Card
        title="You were invited to a workspace"
        description={`You will join as ${account.username}.`}
        footer={
          <Button variant="primary" isLoading={accept.isPending} disabled={!token} onClick={() => accept.mutate()}>
            Accept invitation
          </Button>
        }
      >
        <div className="stack">
          {!token ? <FormError message="This link has no invitation token. Open the link from the email exactly as it was sent." /> : null}
          <FormError message={message} />
          <p className="muted">Members of a workspace share its workflows, runs and credentials according to their role.</p>
        </div>
      </Card>
    </div>
  );
}
