import { useInfiniteQuery } from '@tanstack/react-query';
import { botsApi, type RuntimeEvent } from '../../api/bots.api';
import { queryKeys } from '../../api/query-keys';
import { Button } from '../../components/button';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { RefreshIcon } from '../../components/icons';
import { LoadingBlock } from '../../components/spinner';
import { formatDateTime } from '../../lib/format';

const LEVEL_TONES: Record<RuntimeEvent['level'], string> = { info: 'badge-info', warn: 'badge-warning', error: 'badge-danger' };
const REFRESH_MS = 5000;

/** What the bot did and what went wrong, newest first (never member ids or tokens: the server keeps them out). */
export function BotRuntimeLog({ workspaceSlug, botId }: { workspaceSlug: string; botId: string }) {
  const events = useInfiniteQuery({
    queryKey: queryKeys.botEvents(workspaceSlug, botId),
    queryFn: ({ pageParam }) => botsApi.listRuntimeEvents(workspaceSlug, botId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: REFRESH_MS,
  });
  if (events.isPending) return <LoadingBlock label="Loading the runtime log…" />;
  if (events.isError) return <ErrorState error={events.error} onRetry={() => void events.refetch()} />;
  const items = events.data.pages.flatMap((page) => page.items);
  if (items.length === 0) return <EmptyState title="Nothing logged yet" description="Starts, stops, connection changes and failed commands appear here." />;
  return (
    <div className="stack">
      <div className="row-between">
        <span className="subtle">Updates every few seconds. Kept for 30 days.</span>
        <Button size="sm" variant="ghost" icon={<RefreshIcon />} isLoading={events.isRefetching && !events.isFetchingNextPage} onClick={() => void events.refetch()}>
          Refresh
        </Button>
      </div>
      <ol className="event-log" aria-label="Runtime log, newest first">
        {items.map((event) => (
          <li key={event.id} className="event-log-item">
            <span className={`badge ${LEVEL_TONES[event.level]}`}>{event.level}</span>
            <time className="subtle mono" dateTime={event.at}>
              {formatDateTime(event.at)}
            </time>
            <span className="event-log-message">{event.message}</span>
            {event.details !== null && event.details !== undefined && JSON.stringify(event.details) !== '{}' ? (
              <details className="event-log-details">
                <summary>Details</summary>
                <pre className="code-block" tabIndex={0}>
                  {JSON.stringify(event.details, null, 2)}
                </pre>
              </details>
            ) : null}
          </li>
        ))}
      </ol>
      {events.hasNextPage ? (
        <div className="row" style={{ justifyContent: 'center' }}>
          <Button isLoading={events.isFetchingNextPage} onClick={() => void events.fetchNextPage()}>
            Load older entries
          </Button>
        </div>
      ) : null}
    </div>
  );
}
