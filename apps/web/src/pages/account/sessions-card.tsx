import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { accountApi } from '../../api/account.api';
import { describeError } from '../../api/api-client';
import { queryKeys } from '../../api/query-keys';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { ErrorState } from '../../components/empty-state';
import { LoadingBlock } from '../../components/spinner';
import { useToast } from '../../components/toast';
import { formatRelativeTime } from '../../lib/format';

export function SessionsCard() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const sessions = useQuery({ queryKey: queryKeys.sessions, queryFn: accountApi.listSessions });
  const revoke = useMutation({
    mutationFn: accountApi.revokeSession,
    onSuccess: () => {
      toast.showSuccess('Session signed out.');
      return queryClient.invalidateQueries({ queryKey: queryKeys.sessions });
    },
    onError: (error) => toast.showError(describeError(error)),
  });

  return (
    <Card title="Where you are signed in" description="Sign out any session you do not recognise, then change your password.">
      {sessions.isPending ? (
        <LoadingBlock />
      ) : sessions.isError ? (
        <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : (
        <ul className="list-plain list-rows">
          {sessions.data.items.map((session) => (
            <li key={session.id}>
              <span className="grow">
                <strong>{session.device}</strong>
                {session.isCurrent ? <span className="badge badge-success"> This browser</span> : null}
                <br />
                <span className="subtle">
                  {session.location ? `${session.location} · ` : ''}active {formatRelativeTime(session.lastSeenAt)} · signed in {formatRelativeTime(session.createdAt)}
                </span>
              </span>
              {session.isCurrent ? null : (
                <Button size="sm" isLoading={revoke.isPending && revoke.variables === session.id} onClick={() => revoke.mutate(session.id)}>
                  Sign out
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
