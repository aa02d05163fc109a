import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../api/api-client';
import { botsApi, DISCORD_EVENTS, type EventFlow } from '../../api/bots.api';
import { queryKeys } from '../../api/query-keys';
import { workflowsApi } from '../../api/workflows.api';
import { Button } from '../../components/button';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { Field, FormError } from '../../components/field';
import { Checkbox, Select } from '../../components/input';
import { LoadingBlock } from '../../components/spinner';
import { Table } from '../../components/table';
import { useToast } from '../../components/toast';

const eventLabel = (event: string) => DISCORD_EVENTS.find((item) => item.value === event)?.label ?? event;

/** Gateway events that start workflows; a running bot reconnects with the intents they need. */
export function BotEventFlowsPanel({ workspaceSlug, botId, canWrite }: { workspaceSlug: string; botId: string; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const flows = useQuery({ queryKey: queryKeys.eventFlows(workspaceSlug, botId), queryFn: () => botsApi.listEventFlows(workspaceSlug, botId) });
  const workflows = useQuery({ queryKey: queryKeys.workflows(workspaceSlug), queryFn: () => workflowsApi.listWorkflows(workspaceSlug) });
  const [event, setEvent] = useState<string>(DISCORD_EVENTS[0].value);
  const [workflowId, setWorkflowId] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: queryKeys.eventFlows(workspaceSlug, botId) });

  const create = useMutation({
    mutationFn: () => botsApi.createEventFlow(workspaceSlug, botId, { event, workflowId }),
    onSuccess: () => {
      setWorkflowId('');
      return invalidate();
    },
    onError: (error) => setFormError(describeError(error)),
  });
  const toggle = useMutation({
    mutationFn: (flow: EventFlow) => botsApi.updateEventFlow(workspaceSlug, botId, flow.id, { isEnabled: !flow.isEnabled }),
    onSuccess: invalidate,
    onError: (error) => toast.showError(describeError(error)),
  });
  const remove = useMutation({
    mutationFn: (flow: EventFlow) => botsApi.deleteEventFlow(workspaceSlug, botId, flow.id),
    onSuccess: invalidate,
    onError: (error) => toast.showError(describeError(error)),
  });
  const submit = (submitted: FormEvent) => {
    submitted.preventDefault();
    if (!workflowId) return setFormError('Pick the workflow that runs on this event.');
    setFormError(null);
    create.mutate();
  };

  if (flows.isPending) return <LoadingBlock label="Loading event flows…" />;
  if (flows.isError) return <ErrorState error={flows.error} onRetry={() => void flows.refetch()} />;
  const workflowName = (id: string) => workflows.data?.items.find((workflow) => workflow.id === id)?.name ?? 'Workflow';
  const { items, intents } = flows.data;

  return (
    <div className="stack">
      {intents.privileged.length > 0 ? (
        <div className="callout callout-warning">
          These events need privileged intents ({intents.privileged.join(', ')}): switch them on in the Developer Portal (Bot › Privileged Gateway Intents).
        </div>
      ) : null}
      {items.length === 0 ? (
        <EmptyState title="No event flows" description="Run a workflow when something happens in a server the bot is in: a member joins, a message is posted, a reaction is added." />
      ) : (
        <Table
          label="Event flows"
          head={
            <tr>
              <th scope="col">When</th>
              <th scope="col">Workflow</th>
              <th scope="col">Enabled</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          }
        >
          {items.map((flow) => (
            <tr key={flow.id}>
              <td>
                {eventLabel(flow.event)} <span className="mono subtle">{flow.event}</span>
              </td>
              <td>
                <Link to={`/w/${workspaceSlug}/workflows/${flow.workflowId}`}>{workflowName(flow.workflowId)}</Link>
              </td>
              <td>
                <Checkbox label={<span className="visually-hidden">Enabled: {eventLabel(flow.event)}</span>} checked={flow.isEnabled} disabled={!canWrite || toggle.isPending} onChange={() => toggle.mutate(flow)} />
              </td>
              <td className="table-actions">
                {canWrite ? (
                  <Button size="sm" variant="ghost" aria-label={`Remove the flow on ${flow.event}`} onClick={() => remove.mutate(flow)}>
                    Remove
                  </Button>
                ) : null}
              </td>
            </tr>
          ))}
        </Table>
      )}
      {canWrite ? (
        <form className="toolbar" aria-label="Add an event flow" onSubmit={submit}>
          <Field label="When">
            {(control) => (
              <Select {...control} value={event} onChange={(changed) => setEvent(changed.target.value)}>
                {DISCORD_EVENTS.map((item) => (
                  <option key={item.value} value={item.value}>
                    {item.label}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label="Run workflow">
            {(control) => (
              <Select {...control} value={workflowId} disabled={workflows.isPending} onChange={(changed) => setWorkflowId(changed.target.value)}>
                <option value="">{workflows.isPending ? 'Loading…' : 'Pick a workflow'}</option>
                {(workflows.data?.items ?? []).map((workflow) => (
                  <option key={workflow.id} value={workflow.id}>
                    {workflow.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Button type="submit" isLoading={create.isPending}>
            Add event flow
          </Button>
        </form>
      ) : null}
      <FormError message={formError} />
      <p className="field-hint">The workflow receives the event as its input; start it with the “Discord event” trigger to read its fields by name.</p>
    </div>
  );
}
