import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { botsApi } from '../../api/bots.api';
import { queryKeys } from '../../api/query-keys';
import { hasPermission } from '../../api/workspaces.api';
import { Button } from '../../components/button';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { BotIcon, PlusIcon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { LoadingBlock } from '../../components/spinner';
import { Table } from '../../components/table';
import { useToast } from '../../components/toast';
import { formatRelativeTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useCurrentWorkspace } from '../shell/workspace-scope';
import { BotStatusBadge } from './bot-status-badge';
import { ConnectBotDialog } from './connect-bot-dialog';

const REFRESH_MS = 10_000;

export function BotsListPage() {
  const workspace = useCurrentWorkspace();
  useDocumentTitle(`Bots · ${workspace.name}`);
  const navigate = useNavigate();
  const toast = useToast();
  const [isConnecting, setConnecting] = useState(false);
  const canConnect = hasPermission(workspace, 'credentials.manage');
  const bots = useQuery({ queryKey: queryKeys.bots(workspace.slug), queryFn: () => botsApi.listBots(workspace.slug), refetchInterval: REFRESH_MS });

  const connectButton = canConnect ? (
    <Button variant="primary" icon={<PlusIcon />} onClick={() => setConnecting(true)}>
      Connect a bot
    </Button>
  ) : null;

  return (
    <div className="page">
      <PageHeader title="Bots" description="Discord bots whose slash commands and events are answered by your workflows." actions={bots.data?.length ? connectButton : null} />
      {bots.isPending ? (
        <LoadingBlock label="Loading bots…" />
      ) : bots.isError ? (
        <ErrorState error={bots.error} onRetry={() => void bots.refetch()} />
      ) : bots.data.length === 0 ? (
        <EmptyState
          icon={<BotIcon size={22} />}
          title="No bot connected"
          description="Connect a Discord application's bot, then give it commands: each one runs a workflow and replies with what it returns."
          actions={connectButton}
        />
      ) : (
        <Table
          label="Bots"
          head={
            <tr>
              <th scope="col">Bot</th>
              <th scope="col">Status</th>
              <th scope="col">Application id</th>
              <th scope="col">Connected</th>
            </tr>
          }
        >
          {bots.data.map((bot) => (
            <tr key={bot.id}>
              <td>
                <Link to={`/w/${workspace.slug}/bots/${bot.id}`}>
                  <strong>{bot.botUser.name}</strong>
                </Link>
              </td>
              <td>
                <BotStatusBadge status={bot.status} />
              </td>
              <td className="mono">{bot.applicationId}</td>
              <td>{formatRelativeTime(bot.createdAt)}</td>
            </tr>
          ))}
        </Table>
      )}
      {isConnecting ? (
        <ConnectBotDialog
          workspaceSlug={workspace.slug}
          onClose={() => setConnecting(false)}
          onConnected={(bot) => {
            setConnecting(false);
            toast.showSuccess(`${bot.botUser.name} is connected. Start it when its commands are ready.`);
            void navigate(`/w/${workspace.slug}/bots/${bot.id}`);
          }}
        />
      ) : null}
    </div>
  );
}
