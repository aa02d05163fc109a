import { useQuery } from '@tanstack/react-query';
import { botsApi } from '../../api/bots.api';
import { queryKeys } from '../../api/query-keys';
import { ButtonAnchor } from '../../components/button';
import { ExternalIcon } from '../../components/icons';

/** Opens Discord's "add to server" page with the permissions the bot's commands and features need. */
export function InviteButton({ workspaceSlug, botId }: { workspaceSlug: string; botId: string }) {
  const invite = useQuery({ queryKey: queryKeys.botInvite(workspaceSlug, botId), queryFn: () => botsApi.findInviteUrl(workspaceSlug, botId) });
  if (!invite.data) return null;
  return (
    <ButtonAnchor href={invite.data.url} target="_blank" rel="noreferrer" icon={<ExternalIcon />} title={`Permissions ${invite.data.permissions}`}>
      Add to a server
    </ButtonAnchor>
  );
}
