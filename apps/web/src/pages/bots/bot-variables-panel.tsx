import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { describeError } from '../../api/api-client';
import { botsApi, isSnowflake, VARIABLE_SCOPES, type BotVariable, type VariableScope } from '../../api/bots.api';
import { queryKeys } from '../../api/query-keys';
import { Button } from '../../components/button';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { Input, Select } from '../../components/input';
import { LoadingBlock } from '../../components/spinner';
import { Table } from '../../components/table';
import { useToast } from '../../components/toast';
import { formatRelativeTime } from '../../lib/format';

function previewValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** What the bot's flows stored (counters, lists, settings), by scope; values can be deleted, not edited here. */
export function BotVariablesPanel({ workspaceSlug, botId, canWrite }: { workspaceSlug: string; botId: string; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [scope, setScope] = useState<VariableScope | ''>('');
  const [scopeId, setScopeId] = useState('');
  const filter = { ...(scope ? { scope } : {}), ...(scope && scope !== 'global' && isSnowflake(scopeId) ? { scopeId } : {}) };
  const variables = useInfiniteQuery({
    queryKey: queryKeys.botVariables(workspaceSlug, botId, filter),
    queryFn: ({ pageParam }) => botsApi.listVariables(workspaceSlug, botId, filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const remove = useMutation({
    mutationFn: (variable: BotVariable) => botsApi.deleteVariable(workspaceSlug, botId, variable),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['workspaces', workspaceSlug, 'bots', botId, 'variables'] }),
    onError: (error) => toast.showError(describeError(error)),
  });
  const items = variables.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="stack">
      <div className="toolbar" role="search" aria-label="Filter variables">
        <Select aria-label="Scope" value={scope} style={{ width: 'auto' }} onChange={(event) => setScope(event.target.value as VariableScope | '')}>
          <option value="">All scopes</option>
          {VARIABLE_SCOPES.map((item) => (
            <option key={item} value={item}>
              {item}
            </option>
          ))}
        </Select>
        {scope && scope !== 'global' ? <Input aria-label={`${scope} id`} placeholder={`${scope} id (optional)`} value={scopeId} isMono inputMode="numeric" style={{ width: 220 }} onChange={(event) => setScopeId(event.target.value.trim())} /> : null}
      </div>
      {variables.isPending ? (
        <LoadingBlock label="Loading variables…" />
      ) : variables.isError ? (
        <ErrorState error={variables.error} onRetry={() => void variables.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No variables" description="Workflows answering this bot's commands store variables with the bot variable nodes: per server, per member, per channel or global." />
      ) : (
        <>
          <Table
            label="Variables"
            head={
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Scope</th>
                <th scope="col">Value</th>
                <th scope="col">Updated</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            }
          >
            {items.map((variable) => (
              <tr key={variable.id}>
                <td className="mono">{variable.key}</td>
                <td>
                  {variable.scope}
                  {variable.scopeId ? <span className="mono subtle"> {variable.scopeId}</span> : null}
                </td>
                <td>
                  <span className="badge">{variable.type}</span> <span className="mono">{previewValue(variable.value)}</span>
                </td>
                <td>{formatRelativeTime(variable.updatedAt)}</td>
                <td className="table-actions">
                  {canWrite ? (
                    <Button size="sm" variant="ghost" aria-label={`Delete ${variable.key}`} isLoading={remove.isPending && remove.variables?.id === variable.id} onClick={() => remove.mutate(variable)}>
                      Delete
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </Table>
          {variables.hasNextPage ? (
            <div className="row" style={{ justifyContent: 'center' }}>
              <Button isLoading={variables.isFetchingNextPage} onClick={() => void variables.fetchNextPage()}>
                Load more
              </Button>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}
