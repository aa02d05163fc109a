import type { Database } from '@weft/db';
import type { WorkspaceRunEvent, WorkspaceRunEventName } from '@weft/contracts';
import type { Logger } from '@weft/kernel';
import { listRecentRunStates } from './run-progress.repository';

export type WorkspaceRunListener = (event: WorkspaceRunEventName, data: WorkspaceRunEvent) => void;

export interface WorkspaceRunFeedOptions {
  database: Database;
  logger: Logger;
  /** How often a watched workspace's newest runs are compared (default 2 s). */
  pollMs?: number;
  /** How many of the newest runs are compared (default 100): the runs list's first pages. */
  windowSize?: number;
}

interface WatchedWorkspace {
  listeners: Set<WorkspaceRunListener>;
  timer: NodeJS.Timeout;
  /** Run id → status at the last look; null before the first one. */
  known: Map<string, WorkspaceRunEvent> | null;
  isReading: boolean;
}

/**
 * "Run created" and "run status changed" for the runs list. Notifying on
 * every run would put a NOTIFY on the webhook hot path for runs nobody
 * looks at, so instead, while at least one person in this process watches a
 * workspace, its newest runs are read every `pollMs` with one indexed query
 * (shared by everyone watching it) and compared with the previous read.
 */
export function createWorkspaceRunFeed(options: WorkspaceRunFeedOptions) {
  const pollMs = options.pollMs ?? 2000;
  const windowSize = options.windowSize ?? 100;
  const watched = new Map<string, WatchedWorkspace>();

  async function compare(workspaceId: string, entry: WatchedWorkspace): Promise<void> {
    if (entry.isReading) return;
    entry.isReading = true;
    try {
      const rows = await listRecentRunStates(options.database.db, workspaceId, windowSize);
      const next = new Map(rows.map((row) => [row.runId, row]));
      const previous = entry.known;
      entry.known = next;
      if (previous === null) return;
      // Oldest first, so listeners hear of runs in the order they were created.
      for (const row of rows.reverse()) {
        const before = previous.get(row.runId);
        if (before === undefined) announce(entry, 'run.created', row);
        else if (before.status !== row.status) announce(entry, 'run.status', row);
      }
    } catch (error) {
      options.logger.warn({ err: error, workspaceId }, 'could not read the runs of a watched workspace');
    } finally {
      entry.isReading = false;
    }
  }

  function announce(entry: WatchedWorkspace, event: WorkspaceRunEventName, data: WorkspaceRunEvent): void {
    for (const listener of entry.listeners) listener(event, data);
  }

  return {
    /** Starts watching (the first read is the baseline: no events for runs that already exist). */
    async subscribe(workspaceId: string, listener: WorkspaceRunListener): Promise<() => void> {
      let entry = watched.get(workspaceId);
      if (!entry) {
        const created: WatchedWorkspace = { listeners: new Set(), known: null, isReading: false, timer: setInterval(() => void compare(workspaceId, created), pollMs) };
        created.timer.unref();
        watched.set(workspaceId, created);
        entry = created;
        await compare(workspaceId, created);
      }
      const current = entry;
      current.listeners.add(listener);
      return () => {
        current.listeners.delete(listener);
        if (current.listeners.size > 0 || watched.get(workspaceId) !== current) return;
        clearInterval(current.timer);
        watched.delete(workspaceId);
      };
    },
    /** Workspaces being watched in this process (tests check that none leak). */
    get watchedCount() {
      return watched.size;
    },
    stop(): void {
      for (const entry of watched.values()) clearInterval(entry.timer);
      watched.clear();
    },
  };
}

export type WorkspaceRunFeed = ReturnType<typeof createWorkspaceRunFeed>;
