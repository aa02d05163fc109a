import './bots.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { describeError } from '../../api/api-client';
import { botsApi, type Bot } from '../../api/bots.api';
import { queryKeys } from '../../api/query-keys';
import { hasPermission } from '../../api/workspaces.api';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { Dialog } from '../../components/dialog';
import { ErrorState } from '../../components/empty-state';
import { PlayIcon, StopIcon, TrashIcon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { LoadingBlock } from '../../components/spinner';
import { Tabs } from '../../components/tabs';
import { useToast } from '../../components/toast';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useCurrentWorkspace } from '../shell/workspace-scope';
import { BotCommandsPanel } from './bot-commands-panel';
import { BotEventFlowsPanel } from './bot-event-flows-panel';
import { BotRuntimeLog } from './bot-runtime-log';
import { BotStatusBadge, describeBotStatus } from './bot-status-badge';
import { BotUsagePanel } from './bot-usage-panel';
import { BotVariablesPanel } from './bot-variables-panel';
import { GuildSettingsPanel } from './guild-settings-panel';
import { InviteButton } from './invite-button';

const TABS = [
  { id: 'commands', label: 'Commands' },
  { id: 'events', label: 'Event flows' },
  { id: 'log', label: 'Runtime log' },
  { id: 'variables', label: 'Variables' },
  { id: 'guilds', label: 'Guild settings' },
  { id: 'usage', label: 'Usage' },
] as const;
type TabId = (typeof TABS)[number]['id'];

/** A bot changes status by itself while it connects: poll fast then, slowly otherwise. */
function pollInterval(bot: Bot | undefined): number {
  return bot?.status === 'connecting' ? 3000 : 10_000;
}

export function BotPage() {
  const workspace = useCurrentWorkspace();
  const { botId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const [isDeleting, setDeleting] = useState(false);
  const tab = (TABS.find((item) => item.id === params.get('tab'))?.id ?? 'commands') as TabId;
  const canWrite = hasPermission(workspace, 'resources.write');
  const canRun = hasPermission(workspace, 'resources.execute');

  const bot = useQuery({ queryKey: queryKeys.bot(workspace.slug, botId), queryFn: () => botsApi.findBot(workspace.slug, botId), refetchInterval: (query) => pollInterval(query.state.data) });
  useDocumentTitle(`${bot.data?.botUser.name ?? 'Bot'} · Bots`);

  const setState = useMutation({
    mutationFn: (action: 'start' | 'stop') => (action === 'start' ? botsApi.startBot(workspace.slug, botId) : botsApi.stopBot(workspace.slug, botId)),
    onSuccess: (updated) => {
      queryClient.setQueryData(queryKeys.bot(workspace.slug, botId), updated);
      void queryClient.invalidateQueries({ queryKey: queryKeys.bots(workspace.slug), exact: true });
      void queryClient.invalidateQueries({ queryKey: queryKeys.botEvents(workspace.slug, botId) });
    },
    onError: (error) => toast.showError(describeError(error)),
  });
  const remove = useMutation({
    mutationFn: () => botsApi.deleteBot(workspace.slug, botId),
    onSuccess: () => {
      toast.showSuccess('The bot is disconnected; its token, commands and data are deleted.');
      void queryClient.invalidateQueries({ queryKey: queryKeys.bots(workspace.slug) });
      void navigate(`/w/${workspace.slug}/bots`);
    },
    onError: (error) => toast.showError(describeError(error)),
  });

  if (bot.isPending) return <LoadingBlock label="Loading the bot…" />;
  if (bot.isError) return <div className="page"><ErrorState error={bot.error} onRetry={() => void bot.refetch()} /></div>;
  const data = bot.data;
  const isRunning = data.desiredState === 'running';
  const statusNote = describeBotStatus(data.status);

  return (
    <div className="page">
      <PageHeader
        back={{ to: `/w/${workspace.slug}/bots`, label: 'All bots' }}
        title={
          <span className="row">
            {data.botUser.name} <BotStatusBadge status={data.status} />
          </span>
        }
        description={<span className="mono">Application {data.applicationId}</span>}
        actions={
          <>
            <InviteButton workspaceSlug={workspace.slug} botId={botId} />
            {canRun ? (
              isRunning ? (
                <Button icon={<StopIcon />} isLoading={setState.isPending} onClick={() => setState.mutate('stop')}>
                  Stop
                </Button>
              ) : (
                <Button variant="primary" icon={<PlayIcon />} isLoading={setState.isPending} onClick={() => setState.mutate('start')}>
                  Start
                </Button>
              )
            ) : null}
            {canWrite ? (
              <Button variant="ghost" isIconOnly aria-label="Disconnect bot" title="Disconnect bot" onClick={() => setDeleting(true)}>
                <TrashIcon />
              </Button>
            ) : null}
          </>
        }
      />
      {statusNote || data.statusDetail ? (
        <div className={`callout ${data.status === 'token_invalid' ? 'callout-danger' : 'callout-warning'}`} role="status">
          <span>
            {statusNote} {data.statusDetail ? <span className="subtle">({data.statusDetail})</span> : null}
          </span>
        </div>
      ) : null}
      <div className="field">
        <span className="field-label">Interactions endpoint URL</span>
        <div className="secret-box">
          <span className="grow mono">{data.interactionsUrl}</span>
          <CopyButton value={data.interactionsUrl} />
        </div>
        <p className="field-hint">Paste it in the Developer Portal (General Information › Interactions Endpoint URL) so Discord sends commands here.</p>
      </div>
      <Tabs label="Bot sections" tabs={TABS} selected={tab} onSelect={(id) => setParams(id === 'commands' ? {} : { tab: id }, { replace: true })}>
        {tab === 'commands' ? <BotCommandsPanel workspaceSlug={workspace.slug} botId={botId} canWrite={canWrite} /> : null}
        {tab === 'events' ? <BotEventFlowsPanel workspaceSlug={workspace.slug} botId={botId} canWrite={canWrite} /> : null}
        {tab === 'log' ? <BotRuntimeLog workspaceSlug={workspace.slug} botId={botId} /> : null}
        {tab === 'variables' ? <BotVariablesPanel workspaceSlug={workspace.slug} botId={botId} canWrite={canWrite} /> : null}
        {tab === 'guilds' ? <GuildSettingsPanel workspaceSlug={workspace.slug} botId={botId} canWrite={canWrite} /> : null}
        {tab === 'usage' ? <BotUsagePanel workspaceSlug={workspace.slug} botId={botId} /> : null}
      </Tabs>
      <Dialog
        isOpen={isDeleting}
        title="Disconnect this bot?"
        onClose={() => setDeleting(false)}
        footer={
          <>
            <Button onClick={() => setDeleting(false)}>Cancel</Button>
            <Button variant="danger" isLoading={remove.isPending} onClick={() => remove.mutate()}>
              Disconnect bot
            </Button>
          </>
        }
      >
        <p>{data.botUser.name} stops answering. Its stored token, commands, variables and guild settings are deleted. The application stays on Discord.</p>
      </Dialog>
    </div>
  );
}
