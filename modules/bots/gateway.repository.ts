import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { DbExecutor } from '@weft/db';
import { notifyBotChanged } from './bots.repository';
import { bots, type BotStatus } from './bots.tables';
import { botEventFlows, botGatewayIdentifies, botGatewayLeases } from './gateway.tables';

export type LeaseRow = typeof botGatewayLeases.$inferSelect;

/** What the gateway runtime needs about a running bot; the token is read separately, through the vault. */
export interface RunningBotRow {
  id: string;
  workspaceId: string;
  applicationId: string;
  credentialId: string;
  updatedAt: Date;
}

export interface ResumeState {
  sessionId: string;
  resumeUrl: string;
  sequence: number;
}

export async function listRunningBotRows(executor: DbExecutor): Promise<RunningBotRow[]> {
  return executor
    .select({ id: bots.id, workspaceId: bots.workspaceId, applicationId: bots.applicationId, credentialId: bots.credentialId, updatedAt: bots.updatedAt })
    .from(bots)
    .where(eq(bots.desiredState, 'running'))
    .orderBy(asc(bots.id));
}

/** Enabled event flows of the given bots, for intents and dispatch routing. */
export async function listEnabledFlowRows(executor: DbExecutor, botIds: string[]) {
  if (botIds.length === 0) return [];
  return executor
    .select({ botId: botEventFlows.botId, event: botEventFlows.event, workflowId: botEventFlows.workflowId })
    .from(botEventFlows)
    .where(and(inArray(botEventFlows.botId, botIds), eq(botEventFlows.isEnabled, true)))
    .orderBy(asc(botEventFlows.id));
}

/**
 * Takes or renews the lease in one statement: free (no row), expired, or
 * already ours. The database clock decides, so workers with skewed clocks
 * agree. Returns the row when this owner holds it now.
 */
export async function claimLease(executor: DbExecutor, botId: string, owner: string, leaseMs: number): Promise<LeaseRow | null> {
  const expiresAt = sql`now() + make_interval(secs => ${leaseMs / 1000})`;
  const rows = await executor
    .insert(botGatewayLeases)
    .values({ botId, owner, expiresAt: sql`${expiresAt}` as unknown as Date, updatedAt: sql`now()` as unknown as Date })
    .onConflictDoUpdate({
      target: botGatewayLeases.botId,
      set: { owner, expiresAt: sql`${expiresAt}` as unknown as Date, updatedAt: sql`now()` as unknown as Date },
      setWhere: sql`${botGatewayLeases.expiresAt} < now() OR ${botGatewayLeases.owner} = ${owner}`,
    })
    .returning();
  return rows[0] ?? null;
}

/** Renews a held lease and saves how far the session got; false when another owner has it. */
export async function renewLease(executor: DbExecutor, botId: string, owner: string, leaseMs: number, resume: ResumeState | null): Promise<boolean> {
  const rows = await executor
    .update(botGatewayLeases)
    .set({
      expiresAt: sql`now() + make_interval(secs => ${leaseMs / 1000})` as unknown as Date,
      updatedAt: sql`now()` as unknown as Date,
      ...(resume ? { sessionId: resume.sessionId, resumeUrl: resume.resumeUrl, sequence: resume.sequence } : {}),
    })
    .where(and(eq(botGatewayLeases.botId, botId), eq(botGatewayLeases.owner, owner), sql`${botGatewayLeases.expiresAt} >= now()`))
    .returning({ botId: botGatewayLeases.botId });
  return rows.length > 0;
}

/**
 * Gives the lease up at once. `resume` null forgets the session (it was
 * closed for good); otherwise the next owner resumes it.
 */
export async function releaseLease(executor: DbExecutor, botId: string, owner: string, resume: ResumeState | null): Promise<void> {
  await executor
    .update(botGatewayLeases)
    .set({
      owner: null,
      expiresAt: sql`now() - interval '1 second'` as unknown as Date,
      sessionId: resume?.sessionId ?? null,
      resumeUrl: resume?.resumeUrl ?? null,
      sequence: resume?.sequence ?? null,
      updatedAt: sql`now()` as unknown as Date,
    })
    .where(and(eq(botGatewayLeases.botId, botId), eq(botGatewayLeases.owner, owner)));
}

export function resumeStateOf(row: LeaseRow): ResumeState | null {
  return row.sessionId && row.resumeUrl && row.sequence !== null ? { sessionId: row.sessionId, resumeUrl: row.resumeUrl, sequence: row.sequence } : null;
}

/** Counts one IDENTIFY for today (UTC) and returns today's total. */
export async function countIdentify(executor: DbExecutor, botId: string, day: string): Promise<number> {
  const [row] = await executor
    .insert(botGatewayIdentifies)
    .values({ botId, day, count: 1 })
    .onConflictDoUpdate({ target: [botGatewayIdentifies.botId, botGatewayIdentifies.day], set: { count: sql`${botGatewayIdentifies.count} + 1` } })
    .returning({ count: botGatewayIdentifies.count });
  return row!.count;
}

export async function findIdentifyCount(executor: DbExecutor, botId: string, day: string): Promise<number> {
  const [row] = await executor
    .select({ count: botGatewayIdentifies.count })
    .from(botGatewayIdentifies)
    .where(and(eq(botGatewayIdentifies.botId, botId), eq(botGatewayIdentifies.day, day)));
  return row?.count ?? 0;
}

export async function purgeOldIdentifyCounts(executor: DbExecutor, beforeDay: string): Promise<number> {
  return (await executor.delete(botGatewayIdentifies).where(lt(botGatewayIdentifies.day, beforeDay)).returning({ day: botGatewayIdentifies.day })).length;
}

/**
 * Sets the runtime status. `stop` also sets the desired state to stopped: a
 * revoked token or a missing intent needs the user before a new attempt.
 * Only a bot still meant to run is touched, so a status never overwrites a
 * stop the user asked for meanwhile. `updated_at` stays: it marks user edits
 * (the runtime reloads the token when it moves).
 */
export async function setRuntimeStatus(executor: DbExecutor, botId: string, status: BotStatus, detail: string | null, options: { stop?: boolean } = {}): Promise<boolean> {
  const rows = await executor
    .update(bots)
    .set({ status, statusDetail: detail, ...(options.stop ? { desiredState: 'stopped' as const } : {}) })
    .where(and(eq(bots.id, botId), eq(bots.desiredState, 'running')))
    .returning({ id: bots.id });
  if (rows.length > 0 && options.stop) await notifyBotChanged(executor, botId);
  return rows.length > 0;
}

/** Discord answered 401 to the bot token: stop the bot whatever it was doing, and say why. */
export async function markTokenInvalid(executor: DbExecutor, botId: string, detail: string): Promise<void> {
  await executor.update(bots).set({ status: 'token_invalid', statusDetail: detail, desiredState: 'stopped' }).where(eq(bots.id, botId));
  await notifyBotChanged(executor, botId);
}
