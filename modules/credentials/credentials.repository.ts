import { and, asc, eq, gt, ne, or, sql } from 'drizzle-orm';
import type { DbExecutor } from '@weft/db';
import { credentials, workspaceKeys } from './credentials.tables';

export type WorkspaceKeyRow = typeof workspaceKeys.$inferSelect;
export type CredentialRow = typeof credentials.$inferSelect;
export type NewCredentialRow = typeof credentials.$inferInsert;

export async function findWorkspaceKey(executor: DbExecutor, workspaceId: string): Promise<WorkspaceKeyRow | undefined> {
  const [row] = await executor.select().from(workspaceKeys).where(eq(workspaceKeys.workspaceId, workspaceId));
  return row;
}

/** Inserts unless a concurrent transaction made the key first; returns whether this insert won. */
export async function insertWorkspaceKeyIfMissing(executor: DbExecutor, row: typeof workspaceKeys.$inferInsert): Promise<boolean> {
  const inserted = await executor
    .insert(workspaceKeys)
    .values(row)
    .onConflictDoNothing({ target: workspaceKeys.workspaceId })
    .returning({ workspaceId: workspaceKeys.workspaceId });
  return inserted.length === 1;
}

/** Keys not yet wrapped under `version`, in workspace id order after `afterWorkspaceId` (keyset batches). */
export async function listWorkspaceKeysNotAtVersion(
  executor: DbExecutor,
  version: number,
  afterWorkspaceId: string | null,
  limit: number,
): Promise<WorkspaceKeyRow[]> {
  return executor
    .select()
    .from(workspaceKeys)
    .where(and(ne(workspaceKeys.keyVersion, version), afterWorkspaceId ? gt(workspaceKeys.workspaceId, afterWorkspaceId) : undefined))
    .orderBy(asc(workspaceKeys.workspaceId))
    .limit(limit);
}

/**
 * Replaces the wrapping only if nobody re-wrapped the row since it was read
 * (two rotations at once both finish correctly).
 */
export async function updateWorkspaceKeyWrapping(
  executor: DbExecutor,
  workspaceId: string,
  fromVersion: number,
  next: { keyVersion: number; wrappedKey: string; rotatedAt: Date },
): Promise<boolean> {
  const updated = await executor
    .update(workspaceKeys)
    .set(next)
    .where(and(eq(workspaceKeys.workspaceId, workspaceId), eq(workspaceKeys.keyVersion, fromVersion)))
    .returning({ workspaceId: workspaceKeys.workspaceId });
  return updated.length === 1;
}

export async function countWorkspaceKeysByVersion(executor: DbExecutor): Promise<Map<number, number>> {
  const rows = await executor
    .select({ keyVersion: workspaceKeys.keyVersion, count: sql<number>`count(*)::int` })
    .from(workspaceKeys)
    .groupBy(workspaceKeys.keyVersion);
  return new Map(rows.map((row) => [row.keyVersion, Number(row.count)]));
}

export async function insertCredentialRow(executor: DbExecutor, row: NewCredentialRow): Promise<CredentialRow> {
  const [inserted] = await executor.insert(credentials).values(row).returning();
  return inserted!;
}

/** The workspace is part of every lookup: a credential id alone never finds a row. */
export async function findCredentialRow(executor: DbExecutor, workspaceId: string, credentialId: string): Promise<CredentialRow | undefined> {
  const [row] = await executor
    .select()
    .from(credentials)
    .where(and(eq(credentials.workspaceId, workspaceId), eq(credentials.id, credentialId)));
  return row;
}

/** Ordered by name then id; `after` is the keyset cursor of the previous page. */
export async function listCredentialRows(
  executor: DbExecutor,
  workspaceId: string,
  after: { name: string; id: string } | null,
  limit: number,
): Promise<CredentialRow[]> {
  const cursor = after
    ? or(gt(credentials.name, after.name), and(eq(credentials.name, after.name), gt(credentials.id, after.id)))
    : undefined;
  return executor
    .select()
    .from(credentials)
    .where(and(eq(credentials.workspaceId, workspaceId), cursor))
    .orderBy(asc(credentials.name), asc(credentials.id))
    .limit(limit);
}

export async function updateCredentialRow(
  executor: DbExecutor,
  workspaceId: string,
  credentialId: string,
  changes: Partial<Pick<CredentialRow, 'name' | 'ciphertext' | 'publicFields' | 'updatedAt'>>,
): Promise<CredentialRow | undefined> {
  const [row] = await executor
    .update(credentials)
    .set(changes)
    .where(and(eq(credentials.workspaceId, workspaceId), eq(credentials.id, credentialId)))
    .returning();
  return row;
}

export async function deleteCredentialRow(executor: DbExecutor, workspaceId: string, credentialId: string): Promise<CredentialRow | undefined> {
  const [row] = await executor
    .delete(credentials)
    .where(and(eq(credentials.workspaceId, workspaceId), eq(credentials.id, credentialId)))
    .returning();
  return row;
}

export async function updateCredentialLastUsed(executor: DbExecutor, credentialId: string, at: Date): Promise<void> {
  await executor.update(credentials).set({ lastUsedAt: at }).where(eq(credentials.id, credentialId));
}

export async function listCredentialRowsCreatedBy(executor: DbExecutor, userId: string): Promise<CredentialRow[]> {
  return executor.select().from(credentials).where(eq(credentials.createdBy, userId)).orderBy(asc(credentials.createdAt));
}

export async function anonymizeCredentialCreator(executor: DbExecutor, userId: string): Promise<number> {
  const rows = await executor
    .update(credentials)
    .set({ createdBy: null })
    .where(eq(credentials.createdBy, userId))
    .returning({ id: credentials.id });
  return rows.length;
}

/** Deletes a workspace's credentials and its data key (crypto-shredding: copies of the ciphertexts become unreadable). */
export async function deleteWorkspaceVault(executor: DbExecutor, workspaceId: string): Promise<number> {
  const deleted = await executor.delete(credentials).where(eq(credentials.workspaceId, workspaceId)).returning({ id: credentials.id });
  await executor.delete(workspaceKeys).where(eq(workspaceKeys.workspaceId, workspaceId));
  return deleted.length;
}
