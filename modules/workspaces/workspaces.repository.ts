import { and, asc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import { isUuid } from '@weft/kernel';
import type { DbExecutor } from '@weft/db';
import type { Role } from './workspaces.permissions';
import { memberships, workspaces } from './workspaces.tables';

export type WorkspaceRow = typeof workspaces.$inferSelect;
export type MembershipRow = typeof memberships.$inferSelect;
export interface WorkspaceWithRole {
  workspace: WorkspaceRow;
  role: Role;
}

/** A reference is a workspace id or its slug; slugs never look like UUIDs, so there is no ambiguity. */
function matchWorkspaceRef(ref: string) {
  return isUuid(ref) ? eq(workspaces.id, ref.toLowerCase()) : eq(workspaces.slug, ref.toLowerCase());
}

/** Returns false when the slug is already taken (by a live or a deleted workspace). */
export async function insertWorkspaceIfSlugFree(executor: DbExecutor, row: typeof workspaces.$inferInsert): Promise<boolean> {
  const inserted = await executor
    .insert(workspaces)
    .values(row)
    .onConflictDoNothing({ target: workspaces.slug })
    .returning({ id: workspaces.id });
  return inserted.length === 1;
}

export async function isSlugTaken(executor: DbExecutor, slug: string): Promise<boolean> {
  const rows = await executor.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, slug)).limit(1);
  return rows.length > 0;
}

export async function findLiveWorkspace(executor: DbExecutor, ref: string): Promise<WorkspaceRow | null> {
  const rows = await executor
    .select()
    .from(workspaces)
    .where(and(matchWorkspaceRef(ref), isNull(workspaces.deletedAt)))
    .limit(1);
  return rows[0] ?? null;
}

/**
 * The access check's single query: the live workspace joined with the
 * caller's membership. `lock` takes the workspace row lock so that concurrent
 * membership changes in one workspace run one after the other (the last-owner
 * rule depends on it).
 */
export async function findWorkspaceWithRole(
  executor: DbExecutor,
  userId: string,
  ref: string,
  lock = false,
): Promise<WorkspaceWithRole | null> {
  const query = executor
    .select({ workspace: workspaces, role: memberships.role })
    .from(workspaces)
    .innerJoin(memberships, and(eq(memberships.workspaceId, workspaces.id), eq(memberships.userId, userId)))
    .where(and(matchWorkspaceRef(ref), isNull(workspaces.deletedAt)))
    .limit(1);
  const rows = lock ? await query.for('update', { of: workspaces }) : await query;
  return rows[0] ?? null;
}

export async function listWorkspacesOfUser(
  executor: DbExecutor,
  userId: string,
  page: { afterId?: string; limit: number; onlyWorkspaceId?: string },
): Promise<WorkspaceWithRole[]> {
  return executor
    .select({ workspace: workspaces, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(
      and(
        eq(memberships.userId, userId),
        isNull(workspaces.deletedAt),
        page.afterId ? gt(workspaces.id, page.afterId) : undefined,
        page.onlyWorkspaceId ? eq(workspaces.id, page.onlyWorkspaceId) : undefined,
      ),
    )
    .orderBy(asc(workspaces.id))
    .limit(page.limit);
}

export async function updateWorkspaceRow(
  executor: DbExecutor,
  id: string,
  patch: Partial<Pick<WorkspaceRow, 'name' | 'slug' | 'deletedAt' | 'createdBy'>>,
): Promise<WorkspaceRow> {
  const [row] = await executor.update(workspaces).set(patch).where(eq(workspaces.id, id)).returning();
  if (!row) throw new Error(`Workspace ${id} vanished inside its own transaction`);
  return row;
}

export async function deleteWorkspaceRow(executor: DbExecutor, id: string): Promise<void> {
  await executor.delete(workspaces).where(eq(workspaces.id, id));
}

export async function anonymizeWorkspaceCreator(executor: DbExecutor, userId: string, replacement: string): Promise<void> {
  await executor.update(workspaces).set({ createdBy: replacement }).where(eq(workspaces.createdBy, userId));
}

export async function listWorkspacesCreatedBy(executor: DbExecutor, userId: string): Promise<WorkspaceRow[]> {
  return executor.select().from(workspaces).where(eq(workspaces.createdBy, userId)).orderBy(asc(workspaces.id));
}

export async function insertMembership(executor: DbExecutor, row: typeof memberships.$inferInsert): Promise<boolean> {
  const inserted = await executor.insert(memberships).values(row).onConflictDoNothing().returning({ userId: memberships.userId });
  return inserted.length === 1;
}

export async function findMembership(executor: DbExecutor, workspaceId: string, userId: string): Promise<MembershipRow | null> {
  const rows = await executor
    .select()
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
    .limit(1);
  return rows[0] ?? null;
}

export async function countOwners(executor: DbExecutor, workspaceId: string): Promise<number> {
  const [row] = await executor
    .select({ owners: sql<number>`count(*)::int` })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, 'owner')));
  return Number(row?.owners ?? 0);
}

export async function updateMembershipRole(executor: DbExecutor, workspaceId: string, userId: string, role: Role): Promise<void> {
  await executor
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
}

export async function deleteMembership(executor: DbExecutor, workspaceId: string, userId: string): Promise<void> {
  await executor.delete(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
}

/** Members in the order they joined; keyset paginated on (created_at, user_id). */
export async function listMembershipsPage(
  executor: DbExecutor,
  workspaceId: string,
  page: { after?: { at: Date; userId: string }; limit: number },
): Promise<MembershipRow[]> {
  const after = page.after;
  return executor
    .select()
    .from(memberships)
    .where(
      and(
        eq(memberships.workspaceId, workspaceId),
        after
          ? or(gt(memberships.createdAt, after.at), and(eq(memberships.createdAt, after.at), gt(memberships.userId, after.userId)))
          : undefined,
      ),
    )
    .orderBy(asc(memberships.createdAt), asc(memberships.userId))
    .limit(page.limit);
}

export async function listMemberUserIds(executor: DbExecutor, workspaceId: string): Promise<string[]> {
  const rows = await executor.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.workspaceId, workspaceId));
  return rows.map((row) => row.userId);
}

/** Every membership of a user, deleted workspaces included (export and erasure see everything). */
export async function listMembershipsOfUser(
  executor: DbExecutor,
  userId: string,
): Promise<(WorkspaceWithRole & { joinedAt: Date })[]> {
  return executor
    .select({ workspace: workspaces, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt));
}

/** The longest-standing member holding the first role in `roles` that anyone holds. */
export async function findSuccessor(
  executor: DbExecutor,
  workspaceId: string,
  roles: readonly Role[],
  excludeUserId: string,
): Promise<MembershipRow | null> {
  const candidates = await executor
    .select()
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), inArray(memberships.role, [...roles])))
    .orderBy(asc(memberships.createdAt), asc(memberships.userId));
  for (const role of roles) {
    const found = candidates.find((row) => row.role === role && row.userId !== excludeUserId);
    if (found) return found;
  }
  return null;
}

/** Erasure locks every workspace it may hand over or delete, as membership changes do. */
export async function lockWorkspaces(executor: DbExecutor, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await executor.select({ id: workspaces.id }).from(workspaces).where(inArray(workspaces.id, ids)).for('update');
}

/** PostgreSQL's unique_violation, as raised by pg and PGlite (drizzle wraps it in `cause`). */
export function isUniqueViolation(error: unknown): boolean {
  const codeOf = (value: unknown) => (value && typeof value === 'object' && 'code' in value ? value.code : undefined);
  return codeOf(error) === '23505' || codeOf((error as { cause?: unknown } | null)?.cause) === '23505';
}
