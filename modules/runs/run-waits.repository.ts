import { sql } from 'drizzle-orm';
import { queryRows, toJsonbText, type Database } from '@weft/db';
import { redactValue, type RunOutcome } from '@weft/engine';
import { sha256Hex } from '@weft/kernel';
import { RUNS_CHANNEL } from './runs.events';

/**
 * Stores a suspended run: status `waiting` until `resumeAt` (a run with no
 * time limit waits until its callback), its lease released, and the hashed
 * callback token if the node issued one. Only while `owner` still holds the
 * run, so a worker that lost it cannot park someone else's run.
 */
export async function suspendRun(
  database: Database,
  owner: string,
  runId: string,
  workspaceId: string,
  outcome: RunOutcome,
  callbackUrlOf: (token: string) => string,
): Promise<boolean> {
  const wait = outcome.wait!;
  const response = outcome.secrets === undefined ? outcome.response : redactValue(outcome.response, outcome.secrets);
  return database.transaction(async (tx) => {
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`UPDATE runs SET status = 'waiting', wait_node_id = ${wait.nodeId}, resume_input = NULL,
            available_at = ${wait.resumeAt ? wait.resumeAt.toISOString() : 'infinity'}::timestamptz,
            response = ${response === undefined ? null : toJsonbText(response)}::jsonb,
            lease_owner = NULL, lease_expires_at = NULL
          WHERE id = ${runId} AND lease_owner = ${owner} AND status = 'running'
          RETURNING id`,
    );
    if (!rows[0]) return false;
    await tx.execute(sql`DELETE FROM run_callbacks WHERE run_id = ${runId}`);
    if (wait.callbackToken !== undefined) {
      await tx.execute(
        sql`INSERT INTO run_callbacks (token_hash, run_id, node_id, workspace_id, expires_at)
            VALUES (${sha256Hex(wait.callbackToken)}, ${runId}, ${wait.nodeId}, ${workspaceId}, ${wait.resumeAt?.toISOString() ?? null}::timestamptz)`,
      );
      // The waiting step shows its callback address to the workspace, like any step output; only the hash finds the run.
      const shown = toJsonbText({ callbackUrl: callbackUrlOf(wait.callbackToken), expiresAt: wait.resumeAt?.toISOString() ?? null });
      await tx.execute(sql`UPDATE run_steps SET output = ${shown}::jsonb WHERE run_id = ${runId} AND node_id = ${wait.nodeId}`);
    }
    // A wait that is already due is picked up at once.
    await tx.execute(sql`SELECT pg_notify(${RUNS_CHANNEL}, '')`);
    return true;
  });
}

export type CallbackResult = { outcome: 'resumed'; runId: string } | { outcome: 'unknown' } | { outcome: 'not-waiting'; runId: string };

/**
 * A callback for a waiting run: the token is used up and the run queued
 * again with the callback's payload for the waiting node, in one
 * transaction. An unknown, used or expired token changes nothing.
 */
export async function resumeRunFromCallback(database: Database, token: string, payload: unknown): Promise<CallbackResult> {
  return database.transaction(async (tx) => {
    const callbacks = await queryRows<{ run_id: string; node_id: string }>(
      tx,
      sql`DELETE FROM run_callbacks WHERE token_hash = ${sha256Hex(token)} AND (expires_at IS NULL OR expires_at > now())
          RETURNING run_id, node_id`,
    );
    const callback = callbacks[0];
    if (!callback) return { outcome: 'unknown' };
    const resumeInput = toJsonbText({ nodeId: callback.node_id, cause: 'callback', payload: payload ?? null });
    const resumed = await queryRows<{ id: string }>(
      tx,
      sql`UPDATE runs SET status = 'queued', available_at = now(), wait_node_id = NULL, resume_input = ${resumeInput}::jsonb
          WHERE id = ${callback.run_id} AND status = 'waiting' AND wait_node_id = ${callback.node_id}
          RETURNING id`,
    );
    if (!resumed[0]) return { outcome: 'not-waiting', runId: callback.run_id };
    await tx.execute(sql`SELECT pg_notify(${RUNS_CHANNEL}, '')`);
    return { outcome: 'resumed', runId: callback.run_id };
  });
}
