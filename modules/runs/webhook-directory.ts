import type { Database } from '@weft/db';
import type { Logger } from '@weft/kernel';
import type { WebhookTriggerEntry, WorkflowCatalog } from '@weft/workflows';

export interface WebhookDirectoryOptions {
  database: Database;
  logger: Logger;
  catalog: Pick<WorkflowCatalog, 'listActiveWebhookTriggers' | 'onWorkflowsChanged' | 'changesChannel'>;
  /**
   * Also told of each change another process announces: other in-memory views share this LISTEN,
   * since on PostgreSQL each LISTEN holds a pooled connection for good.
   */
  onOtherProcessChange?: () => void;
}

/**
 * Every active webhook in memory, so a request costs two Map lookups and no
 * query. Reloaded as a whole whenever a workflow's version, triggers or
 * settings change: at once for changes made in this process, on NOTIFY for
 * the others. A change that lands during a reload makes it go round again,
 * so an older list never overwrites a newer one.
 */
export function createWebhookDirectory(options: WebhookDirectoryOptions) {
  let byPath = new Map<string, WebhookTriggerEntry>();
  let byId = new Map<string, WebhookTriggerEntry>();
  let isDirty = true;
  let reloading: Promise<void> | null = null;
  const unsubscribers: (() => unknown)[] = [];

  async function reloadUntilClean(): Promise<void> {
    while (isDirty) {
      isDirty = false;
      const entries = await options.catalog.listActiveWebhookTriggers();
      if (isDirty) continue;
      byPath = new Map(entries.map((entry) => [pathKey(entry.workspaceSlug, entry.path), entry]));
      byId = new Map(entries.map((entry) => [entry.triggerId, entry]));
    }
  }

  function invalidate(): Promise<void> {
    isDirty = true;
    reloading ??= reloadUntilClean()
      .catch((error: unknown) => {
        // Keep serving the previous list; the next change or request tries again.
        isDirty = true;
        options.logger.error({ err: error }, 'could not load webhook triggers');
      })
      .finally(() => {
        reloading = null;
      });
    return reloading;
  }

  // In-process changes are heard from creation on, so a publish is seen by the very next request.
  unsubscribers.push(options.catalog.onWorkflowsChanged(() => void invalidate()));

  return {
    /** Listens for changes made by other processes and loads the list. */
    async start(): Promise<void> {
      unsubscribers.push(
        await options.database.listen(options.catalog.changesChannel, () => {
          options.onOtherProcessChange?.();
          void invalidate();
        }),
      );
      await invalidate();
    },
    async stop(): Promise<void> {
      for (const unsubscribe of unsubscribers.splice(0)) await unsubscribe();
      await reloading;
    },
    /** Resolves when the list reflects every change announced so far; instant when it already does. */
    whenCurrent(): Promise<void> | null {
      return isDirty || reloading ? invalidate() : null;
    },
    findByPath(workspaceSlug: string, path: string): WebhookTriggerEntry | undefined {
      return byPath.get(pathKey(workspaceSlug, path));
    },
    findById(triggerId: string): WebhookTriggerEntry | undefined {
      return byId.get(triggerId);
    },
  };
}

function pathKey(workspaceSlug: string, path: string): string {
  return `${workspaceSlug}\n${path}`;
}

export type WebhookDirectory = ReturnType<typeof createWebhookDirectory>;
