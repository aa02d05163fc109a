import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../api/api-client';
import { botsApi, type BotCommand } from '../../api/bots.api';
import { queryKeys } from '../../api/query-keys';
import { workflowsApi } from '../../api/workflows.api';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { PlusIcon, RefreshIcon } from '../../components/icons';
import { LoadingBlock } from '../../components/spinner';
import { EditDeleteActions, Table } from '../../components/table';
import { useToast } from '../../components/toast';
import { CommandDialog } from './command-dialog';

const KIND_PREFIX: Record<string, string> = { slash: '/', user: 'User › ', message: 'Message › ', component: 'custom id ' };

/** The bot's commands with the workflows that answer them, and the sync with Discord. */
export function BotCommandsPanel({ workspaceSlug, botId, canWrite }: { workspaceSlug: string; botId: string; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState<{ command: BotCommand | null } | null>(null);
  const [deleting, setDeleting] = useState<BotCommand | null>(null);
  const commands = useQuery({ queryKey: queryKeys.botCommands(workspaceSlug, botId), queryFn: () => botsApi.listCommands(workspaceSlug, botId) });
  const workflows = useQuery({ queryKey: queryKeys.workflows(workspaceSlug), queryFn: () => workflowsApi.listWorkflows(workspaceSlug) });
  const workflowName = (id: string) => workflows.data?.items.find((workflow) => workflow.id === id)?.name ?? 'Workflow';

  const sync = useMutation({
    mutationFn: () => botsApi.syncCommands(workspaceSlug, botId),
    onSuccess: (report) => {
      const sent = report.scopes.filter((scope) => scope.isSent);
      toast.showSuccess(sent.length === 0 ? 'Discord already has these commands: nothing to send.' : `Sent to Discord: ${sent.map((scope) => `${scope.commandCount} ${scope.scope === 'global' ? 'global' : `in server ${scope.scope}`}`).join(', ')}.`);
    },
    onError: (error) => toast.showError(`Not synced: ${describeError(error)}`),
  });
  const remove = useMutation({
    mutationFn: (command: BotCommand) => botsApi.deleteCommand(workspaceSlug, botId, command.id),
    onSuccess: () => {
      setDeleting(null);
      toast.showInfo('Command deleted. Sync with Discord to remove it there too.');
      return queryClient.invalidateQueries({ queryKey: queryKeys.botCommands(workspaceSlug, botId) });
    },
    onError: (error) => toast.showError(describeError(error)),
  });

  if (commands.isPending) return <LoadingBlock label="Loading commands…" />;
  if (commands.isError) return <ErrorState error={commands.error} onRetry={() => void commands.refetch()} />;
  const addButton = canWrite ? (
    <Button variant="primary" icon={<PlusIcon />} onClick={() => setEditing({ command: null })}>
      New command
    </Button>
  ) : null;

  return (
    <div className="stack">
      {canWrite ? (
        <div className="row-between">
          <span className="subtle">Changes (deletions too) reach Discord when you sync.</span>
          <span className="row">
            <Button icon={<RefreshIcon />} isLoading={sync.isPending} onClick={() => sync.mutate()}>
              Sync with Discord
            </Button>
            {addButton}
          </span>
        </div>
      ) : null}
      {commands.data.length === 0 ? (
        <EmptyState title="No commands yet" description="A command is what people type in Discord (/weather) or pick in a menu. Each one runs a workflow of this workspace." />
      ) : (
        <>
          <Table
            label="Commands"
            head={
              <tr>
                <th scope="col">Command</th>
                <th scope="col">Workflow</th>
                <th scope="col">Where</th>
                <th scope="col">Reply</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            }
          >
            {commands.data.map((command) => (
              <tr key={command.id}>
                <td>
                  <strong className="mono">
                    {KIND_PREFIX[command.kind]}
                    {command.name}
                  </strong>
                  {command.description ? <span className="subtle"> {command.description}</span> : null}
                </td>
                <td>
                  <Link to={`/w/${workspaceSlug}/workflows/${command.workflowId}`}>{workflowName(command.workflowId)}</Link>
                </td>
                <td>{command.scope === 'global' ? 'Every server' : <span className="mono">{command.scope}</span>}</td>
                <td>
                  {command.isEphemeral ? 'Only to them' : 'In the channel'}
                  {command.cooldownSeconds > 0 ? <span className="subtle"> · {command.cooldownSeconds}s cooldown</span> : null}
                </td>
                <td className="table-actions">
                  {canWrite ? <EditDeleteActions name={command.name} onEdit={() => setEditing({ command })} onDelete={() => setDeleting(command)} /> : null}
                </td>
              </tr>
            ))}
          </Table>
        </>
      )}
      {editing ? <CommandDialog key={editing.command?.id ?? 'new'} workspaceSlug={workspaceSlug} botId={botId} command={editing.command} onClose={() => setEditing(null)} /> : null}
      <Dialog
        isOpen={deleting !== null}
        title="Delete this command?"
        onClose={() => setDeleting(null)}
        footer={
          <>
            <Button onClick={() => setDeleting(null)}>Cancel</Button>
            <Button variant="danger" isLoading={remove.isPending} onClick={() => deleting && remove.mutate(deleting)}>
              Delete command
            </Button>
          </>
        }
      >
        <p>“{deleting?.name}” stops working here at once, and disappears from Discord at the next sync.</p>
      </Dialog>
    </div>
  );
}
