import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { DbExecutor } from '@weft/db';
import { invitations } from './workspaces.tables';

export type InvitationRow = typeof invitations.$inferSelect;

const isPending = () => and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt));

export async function insertInvitation(executor: DbExecutor, row: typeof invitations.$inferInsert): Promise<InvitationRow> {
  const [inserted] = await executor.insert(invitations).values(row).returning();
  return inserted!;
}

/** Re-inviting an address withdraws its earlier invitations, so only the newest link works. */
export async function revokePendingInvitationsTo(executor: DbExecutor, workspaceId: string, email: string, at: Date): Promise<void> {
  await executor
    .update(invitations)
    .set({ revokedAt: at })
    .where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.email, email), isPending()));
}

export async function revokePendingInvitationsOfWorkspace(executor: DbExecutor, workspaceId: string, at: Date): Promise<void> {
  await executor
    .update(invitations)
    .set({ revokedAt: at })
    .where(and(eq(invitations.workspaceId, workspaceId), isPending()));
}

/** Locks the row so two accepts of one token cannot both succeed. */
export async function findInvitationByTokenHashForUpdate(executor: DbExecutor, tokenHash: string): Promise<InvitationRow | null> {
  const rows = await executor.select().from(invitations).where(eq(invitations.tokenHash, tokenHash)).limit(1).for('update');
  return rows[0] ?? null;
}

export async function findInvitationInWorkspace(executor: DbExecutor, workspaceId: string, id: string): Promise<InvitationRow | null> {
  const rows = await executor
    .select()
    .from(invitations)
    .where(and(eq(invitations.workspaceId, workspaceId), eq(invitations.id, id)))
    .limit(1);
  return rows[0] ?? null;
}

/** Conditional on still being pending: returns false when someone else used or revoked it first. */
export async function markInvitationAccepted(executor: DbExecutor, id: string, userId: string, at: Date): Promise<boolean> {
  const rows = await executor
    .update(invitations)
    .set({ acceptedAt: at, acceptedBy: userId })
    .where(and(eq(invitations.id, id), isPending()))
    .returning({ id: invitations.id });
  return rows.length === 1;
}

export async function markInvitationRevoked(executor: DbExecutor, id: string, at: Date): Promise<boolean> {
  const rows = await executor
    .update(invitations)
    .set({ revokedAt: at })
    .where(and(eq(invitations.id, id), isPending()))
    .returning({ id: invitations.id });
  return rows.length === 1;
}

/** Newest first; ids are UUIDv7, so the id alone is a keyset cursor. */
export async function listInvitationsPage(
  executor: DbExecutor,
  workspaceId: string,
  page: { beforeId?: string; limit: number },
): Promise<InvitationRow[]> {
  return executor
    .select()
    .from(invitations)
    .where(and(eq(invitations.workspaceId, workspaceId), page.beforeId ? lt(invitations.id, page.beforeId) : undefined))
    .orderBy(desc(invitations.id))
    .limit(page.limit);
}

export async function deleteInvitationsExpiredBefore(executor: DbExecutor, cutoff: Date): Promise<number> {
  const rows = await executor.delete(invitations).where(lt(invitations.expiresAt, cutoff)).returning({ id: invitations.id });
  return rows.length;
}

function isAbout(userId: string, email: string | null) {
  return or(eq(invitations.invitedBy, userId), eq(invitations.acceptedBy, userId), email ? eq(invitations.email, email) : undefined);
}

export async function listInvitationsAbout(executor: DbExecutor, userId: string, email: string | null): Promise<InvitationRow[]> {
  return executor.select().from(invitations).where(isAbout(userId, email)).orderBy(desc(invitations.id));
}

/** Invitations addressed to the subject hold their email: they go entirely. */
export async function deleteInvitationsAddressedTo(executor: DbExecutor, userId: string, email: string | null): Promise<void> {
  await executor
    .delete(invitations)
    .where(or(eq(invitations.acceptedBy, userId), email ? eq(invitations.email, email) : undefined));
}

export async function anonymizeInviter(executor: DbExecutor, userId: string, replacement: string): Promise<void> {
  await executor.update(invitations).set({ invitedBy: replacement }).where(eq(invitations.invitedBy, userId));
}
