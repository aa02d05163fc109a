import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { auditApi, type AuditEntry, type AuditFilters, type AuditScope } from '../../api/audit.api';
import { queryKeys } from '../../api/query-keys';
import { hasPermission } from '../../api/workspaces.api';
import { Button } from '../../components/button';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { ListIcon } from '../../components/icons';
import { Field } from '../../components/field';
import { Input, Select } from '../../components/input';
import { PageHeader } from '../../components/page-header';
import { LoadingBlock } from '../../components/spinner';
import { Table } from '../../components/table';
import { formatDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useSignedInAccount } from '../../session/session';
import { useCurrentWorkspace } from '../shell/workspace-scope';

const TEXT_FILTERS = [
  { key: 'action', label: 'Action', placeholder: 'e.g. credentials.credential.created' },
  { key: 'actorId', label: 'Actor id', placeholder: 'A user id' },
  { key: 'targetId', label: 'Target id', placeholder: 'e.g. a credential id' },
] as const;

/** The end of an id: UUIDv7s begin with their timestamp, so entries made the same minute share their first characters. */
function shortenId(id: string): string {
  return id.length > 12 ? `…${id.slice(-8)}` : id;
}

function summarizeDetails(entry: AuditEntry): string {
  const text = JSON.stringify(entry.details);
  return text === '{}' ? '' : text;
}

/**
 * The audit log of the current workspace, for its owners and admins (the
 * workspace's own route); instance administrators may also read every
 * workspace's (the administrators' route). Filters are exact matches (as the
 * API compares them) and live in the URL.
 */
export function AuditLogPage() {
  const workspace = useCurrentWorkspace();
  const account = useSignedInAccount();
  useDocumentTitle(`Audit log · ${workspace.name}`);
  const [params, setParams] = useSearchParams();
  const [draft, setDraft] = useState(() => Object.fromEntries(TEXT_FILTERS.map(({ key }) => [key, params.get(key) ?? ''])));
  const canReadWorkspaceLog = hasPermission(workspace, 'audit.read');
  const canRead = canReadWorkspaceLog || account.isAdmin;
  const isAllWorkspaces = account.isAdmin && params.get('scope') === 'all';

  const scope = useMemo<AuditScope>(() => {
    if (isAllWorkspaces) return { kind: 'instance' };
    // An instance administrator who is a plain member here still reads it, through the administrators' route.
    return canReadWorkspaceLog ? { kind: 'workspace', workspace: workspace.id } : { kind: 'instance', workspaceId: workspace.id };
  }, [isAllWorkspaces, canReadWorkspaceLog, workspace.id]);

  const filters = useMemo<AuditFilters>(() => {
    const found: AuditFilters = {};
    for (const { key } of TEXT_FILTERS) {
      const value = params.get(key);
      if (value) found[key] = value;
    }
    return found;
  }, [params]);

  const log = useInfiniteQuery({
    queryKey: queryKeys.auditLog(scope, filters),
    queryFn: ({ pageParam }) => auditApi.listAuditLog(scope, filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: canRead,
  });

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams(isAllWorkspaces ? { scope: 'all' } : {});
    for (const [key, value] of Object.entries(draft)) if (value.trim()) next.set(key, value.trim());
    setParams(next, { replace: true });
  };
  const setScope = (value: string) => {
    const next = new URLSearchParams(params);
    if (value === 'all') next.set('scope', 'all');
    else next.delete('scope');
    setParams(next, { replace: true });
  };

  if (!canRead) {
    return (
      <div className="page">
        <PageHeader title="Audit log" />
        <EmptyState icon={<ListIcon size={22} />} title="For owners and admins" description="Only this workspace’s owners and admins can read its audit log. Ask one of them." />
      </div>
    );
  }

  const items = log.data?.pages.flatMap((page) => page.items) ?? [];
  const isFiltered = TEXT_FILTERS.some(({ key }) => params.get(key));
  return (
    <div className="page">
      <PageHeader title="Audit log" description="Who did what, when: role changes, invitations, credentials, publishing, newest first." />
      <form className="toolbar" role="search" aria-label="Filter the audit log" onSubmit={apply}>
        {account.isAdmin ? (
          <Field label="Workspaces">
            {(control) => (
              <Select {...control} value={isAllWorkspaces ? 'all' : 'this'} onChange={(event) => setScope(event.target.value)}>
                <option value="this">{workspace.name}</option>
                <option value="all">All workspaces</option>
              </Select>
            )}
          </Field>
        ) : null}
        {TEXT_FILTERS.map(({ key, label, placeholder }) => (
          <Field key={key} label={label}>
            {(control) => <Input {...control} value={draft[key] ?? ''} placeholder={placeholder} onChange={(event) => setDraft((current) => ({ ...current, [key]: event.target.value }))} />}
          </Field>
        ))}
        <Button type="submit">Apply filters</Button>
      </form>
      {log.isPending ? (
        <LoadingBlock label="Loading the audit log…" />
      ) : log.isError ? (
        <ErrorState error={log.error} onRetry={() => void log.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          icon={<ListIcon size={22} />}
          title={isFiltered ? 'No entry matches these filters' : 'Nothing recorded yet'}
          description={isFiltered ? 'Filters match exactly: check the action name or the id.' : 'Privileged actions appear here as they happen.'}
          actions={isFiltered ? <Button onClick={() => { setDraft({}); setParams(isAllWorkspaces ? { scope: 'all' } : {}, { replace: true }); }}>Clear filters</Button> : null}
        />
      ) : (
        <>
          <Table
            label="Audit log entries"
            head={
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Actor</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
              </tr>
            }
          >
            {items.map((entry) => (
              <tr key={entry.id}>
                <td>{formatDateTime(entry.at)}</td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td>
                  {entry.actorType}
                  {entry.actorId ? <span className="mono subtle" title={entry.actorId}> {shortenId(entry.actorId)}</span> : null}
                </td>
                <td>
                  {entry.targetType ?? '—'}
                  {entry.targetId ? <span className="mono subtle" title={entry.targetId}> {shortenId(entry.targetId)}</span> : null}
                </td>
                <td className="mono subtle audit-details">{summarizeDetails(entry)}</td>
              </tr>
            ))}
          </Table>
          {log.hasNextPage ? (
            <div className="row" style={{ justifyContent: 'center' }}>
              <Button isLoading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
                Load older entries
              </Button>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}
