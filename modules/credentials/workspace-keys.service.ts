import { AppError, createDataKey, rewrapDataKey, unwrapDataKey, type Clock, type Keyring } from '@weft/kernel';
import type { Database, DbExecutor, Tx } from '@weft/db';
import type { RecordAudit } from './credentials.dependencies';
import {
  countWorkspaceKeysByVersion,
  findWorkspaceKey,
  insertWorkspaceKeyIfMissing,
  listWorkspaceKeysNotAtVersion,
  updateWorkspaceKeyWrapping,
  type WorkspaceKeyRow,
} from './credentials.repository';

export interface WorkspaceKeysDeps {
  database: Database;
  clock: Clock;
  /** Reads the master keyring from the instance secrets; called at start, on rotation and on an unknown key version. */
  loadKeyring: () => Keyring;
  recordAudit: RecordAudit;
}

export interface MasterKeyRotationReport {
  /** The master key version every data key should now be wrapped under. */
  keyVersion: number;
  rewrapped: number;
  /** Workspace keys that could not be unwrapped (corrupt, or their master version is gone). */
  failed: string[];
  /** Keys still under an older version when the pass ended (made meanwhile by a process with a stale keyring); run again. */
  remaining: number;
  total: number;
}

// The kernel's code for a wrapped key whose master version is not in the keyring.
const UNKNOWN_KEY_VERSION = 'CRYPTO_UNKNOWN_KEY_VERSION';

/** Associated data of a wrapped key: it only unwraps for the workspace it was made for. */
function purposeOf(workspaceId: string): string {
  return `workspace-key:${workspaceId}`;
}

export function createWorkspaceKeys(deps: WorkspaceKeysDeps) {
  let keyring = deps.loadKeyring();

  /**
   * Another process may have rotated the master key since this one loaded
   * the keyring: a row under a version we do not know makes us re-read the
   * secrets once, so rotation needs no restart of running servers.
   */
  function unwrapRow(row: WorkspaceKeyRow): Buffer {
    const stored = { keyVersion: row.keyVersion, wrapped: row.wrappedKey };
    try {
      return unwrapDataKey(keyring, stored, purposeOf(row.workspaceId));
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== UNKNOWN_KEY_VERSION) throw error;
      keyring = deps.loadKeyring();
      return unwrapDataKey(keyring, stored, purposeOf(row.workspaceId));
    }
  }

  return {
    /** The workspace's data key, made and wrapped under the current master key on first use. */
    async obtainDataKey(tx: Tx, workspaceId: string): Promise<Buffer> {
      const existing = await findWorkspaceKey(tx, workspaceId);
      if (existing) return unwrapRow(existing);
      const { dataKey, stored } = createDataKey(keyring, purposeOf(workspaceId));
      const inserted = await insertWorkspaceKeyIfMissing(tx, {
        workspaceId,
        keyVersion: stored.keyVersion,
        wrappedKey: stored.wrapped,
        createdAt: deps.clock.now(),
      });
      if (inserted) return dataKey;
      // A concurrent transaction made the key first; its key is the one to use.
      return unwrapRow((await findWorkspaceKey(tx, workspaceId))!);
    },

    async readDataKey(executor: DbExecutor, workspaceId: string): Promise<Buffer | null> {
      const row = await findWorkspaceKey(executor, workspaceId);
      return row ? unwrapRow(row) : null;
    },

    /**
     * Re-wraps every workspace data key under the newest master key version,
     * in short batches: readers keep working throughout (old and new versions
     * both unwrap while the old master key stays in the keyring) and credential
     * ciphertexts are not touched. Safe to run again; only stale rows change.
     */
    async rotateMasterKey(options: { batchSize?: number } = {}): Promise<MasterKeyRotationReport> {
      const batchSize = options.batchSize ?? 200;
      keyring = deps.loadKeyring();
      const current = keyring;
      let rewrapped = 0;
      const failed: string[] = [];
      let after: string | null = null;
      for (;;) {
        const batch = await listWorkspaceKeysNotAtVersion(deps.database.db, current.currentVersion, after, batchSize);
        if (batch.length === 0) break;
        after = batch.at(-1)!.workspaceId;
        rewrapped += await deps.database.transaction(async (tx) => {
          let count = 0;
          for (const row of batch) {
            let next;
            try {
              next = rewrapDataKey(current, { keyVersion: row.keyVersion, wrapped: row.wrappedKey }, purposeOf(row.workspaceId));
            } catch {
              failed.push(row.workspaceId);
              continue;
            }
            const now = deps.clock.now();
            const updated = await updateWorkspaceKeyWrapping(tx, row.workspaceId, row.keyVersion, {
              keyVersion: next.keyVersion,
              wrappedKey: next.wrapped,
              rotatedAt: now,
            });
            if (updated) count += 1;
          }
          return count;
        });
      }
      const byVersion = await countWorkspaceKeysByVersion(deps.database.db);
      const total = [...byVersion.values()].reduce((sum, n) => sum + n, 0);
      const report = { keyVersion: current.currentVersion, rewrapped, failed, remaining: total - (byVersion.get(current.currentVersion) ?? 0), total };
      await deps.database.transaction((tx) =>
        deps.recordAudit(
          {
            actor: { type: 'system' },
            action: 'credentials.master-key.rotated',
            details: { keyVersion: report.keyVersion, rewrapped, failed: failed.length, remaining: report.remaining },
          },
          tx,
        ),
      );
      return report;
    },
  };
}

export type WorkspaceKeys = ReturnType<typeof createWorkspaceKeys>;
