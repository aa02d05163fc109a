import { and, desc, eq, isNotNull, lt, or, type SQL } from 'drizzle-orm';
import type { DbExecutor } from '@weft/db';
import { posts } from './content.tables';

export type PostRow = typeof posts.$inferSelect;
export type NewPostRow = typeof posts.$inferInsert;
/** A published post always has its date (a check constraint says so). */
export type PublishedPostRow = PostRow & { publishedAt: Date };
export type PostChanges = Partial<Pick<PostRow, 'slug' | 'title' | 'summary' | 'bodyMarkdown' | 'bodyHtml' | 'status' | 'publishedAt' | 'updatedAt'>>;

export interface PublishedPostFilter {
  kind?: 'blog' | 'changelog' | undefined;
  /** Keyset cursor: posts published strictly before this (publishedAt, id). */
  before?: { publishedAt: Date; id: string } | undefined;
}

export interface PostFilter {
  kind?: 'blog' | 'changelog' | undefined;
  status?: 'draft' | 'published' | undefined;
  /** Keyset cursor: ids are time-ordered (UUIDv7), so older posts have smaller ids. */
  beforeId?: string | undefined;
}

export async function insertPost(executor: DbExecutor, row: NewPostRow): Promise<PostRow> {
  const [inserted] = await executor.insert(posts).values(row).returning();
  return inserted!;
}

export async function updatePost(executor: DbExecutor, id: string, changes: PostChanges): Promise<PostRow | undefined> {
  const [updated] = await executor.update(posts).set(changes).where(eq(posts.id, id)).returning();
  return updated;
}

export async function deletePost(executor: DbExecutor, id: string): Promise<PostRow | undefined> {
  const [deleted] = await executor.delete(posts).where(eq(posts.id, id)).returning();
  return deleted;
}

/** Read for a change: the row stays locked until the transaction ends, so two edits apply one after the other. */
export async function findPostForUpdate(executor: DbExecutor, id: string): Promise<PostRow | undefined> {
  const [row] = await executor.select().from(posts).where(eq(posts.id, id)).for('update');
  return row;
}

export async function findPost(executor: DbExecutor, id: string): Promise<PostRow | undefined> {
  const [row] = await executor.select().from(posts).where(eq(posts.id, id));
  return row;
}

export async function findPublishedPostBySlug(executor: DbExecutor, slug: string): Promise<PublishedPostRow | undefined> {
  const [row] = await executor
    .select()
    .from(posts)
    .where(and(eq(posts.slug, slug), eq(posts.status, 'published')));
  return row as PublishedPostRow | undefined;
}

export async function listPublishedPosts(executor: DbExecutor, filter: PublishedPostFilter, limit: number): Promise<PublishedPostRow[]> {
  const conditions: SQL[] = [eq(posts.status, 'published'), isNotNull(posts.publishedAt)];
  if (filter.kind) conditions.push(eq(posts.kind, filter.kind));
  if (filter.before) {
    const { publishedAt, id } = filter.before;
    conditions.push(or(lt(posts.publishedAt, publishedAt), and(eq(posts.publishedAt, publishedAt), lt(posts.id, id)))!);
  }
  const rows = await executor
    .select()
    .from(posts)
    .where(and(...conditions))
    .orderBy(desc(posts.publishedAt), desc(posts.id))
    .limit(limit);
  return rows as PublishedPostRow[];
}

export async function listPosts(executor: DbExecutor, filter: PostFilter, limit: number): Promise<PostRow[]> {
  const conditions: SQL[] = [];
  if (filter.kind) conditions.push(eq(posts.kind, filter.kind));
  if (filter.status) conditions.push(eq(posts.status, filter.status));
  if (filter.beforeId) conditions.push(lt(posts.id, filter.beforeId));
  return executor
    .select()
    .from(posts)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(posts.id))
    .limit(limit);
}

export async function listPostsByAuthor(executor: DbExecutor, authorId: string): Promise<PostRow[]> {
  return executor.select().from(posts).where(eq(posts.authorId, authorId)).orderBy(desc(posts.id));
}

/** Erasure keeps the instance's publications and forgets who wrote them. */
export async function forgetPostAuthor(executor: DbExecutor, authorId: string): Promise<number> {
  const updated = await executor.update(posts).set({ authorId: null }).where(eq(posts.authorId, authorId)).returning({ id: posts.id });
  return updated.length;
}
