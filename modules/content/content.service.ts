import type { AuditEntryInput } from '@weft/audit';
import { isUniqueViolation, type Database, type Tx } from '@weft/db';
import { AppError, isUuid, newId, type Clock, type SubjectRef } from '@weft/kernel';
import { ContentErrors } from './content.errors';
import {
  deletePost,
  findPost,
  findPostForUpdate,
  findPublishedPostBySlug,
  forgetPostAuthor,
  insertPost,
  listPosts,
  listPostsByAuthor,
  listPublishedPosts,
  updatePost,
  type PostChanges,
  type PostFilter,
  type PostRow,
  type PublishedPostFilter,
  type PublishedPostRow,
} from './content.repository';
import { renderPostMarkdown } from './render-markdown';

export type PostKind = 'blog' | 'changelog';

export interface ContentServiceDeps {
  database: Database;
  clock: Clock;
  /** The audit module's recorder, given the transaction of the change. */
  recordAudit: (entry: AuditEntryInput, tx: Tx) => Promise<void>;
}

/** The administrator making a change, and from where (the audit log keeps a keyed hash of the address). */
export interface Editor {
  userId: string;
  ip?: string;
}

export interface NewPost {
  kind: PostKind;
  slug: string;
  title: string;
  summary: string;
  bodyMarkdown: string;
}

export type PostEdit = Partial<Pick<NewPost, 'slug' | 'title' | 'summary' | 'bodyMarkdown'>>;

function notFound(details: Record<string, string>): AppError {
  return new AppError(ContentErrors.POST_NOT_FOUND, 'No such post', details);
}

function slugTaken(slug: string): AppError {
  return new AppError(ContentErrors.POST_SLUG_TAKEN, 'Another post already has this address', { slug });
}

export function createContentService(deps: ContentServiceDeps) {
  const { database, clock } = deps;

  /** One change to one post: the row locked, the change and its audit entry committed together. */
  async function changePost(editor: Editor, id: string, action: string, change: (row: PostRow, now: Date) => PostChanges | null): Promise<PostRow> {
    if (!isUuid(id)) throw notFound({ id });
    return database.transaction(async (tx) => {
      const row = await findPostForUpdate(tx, id);
      if (!row) throw notFound({ id });
      const now = clock.now();
      const changes = change(row, now);
      if (!changes) return row; // already in the state asked for
      const updated = (await updatePost(tx, id, { ...changes, updatedAt: now }))!;
      await deps.recordAudit(
        { actor: { type: 'admin', id: editor.userId }, action, target: { type: 'post', id }, ip: editor.ip ?? null, details: { slug: updated.slug, fields: Object.keys(changes) } },
        tx,
      );
      return updated;
    });
  }

  return {
    listPublishedPosts(filter: PublishedPostFilter, limit: number): Promise<PublishedPostRow[]> {
      return listPublishedPosts(database.db, filter, limit);
    },

    async getPublishedPost(slug: string): Promise<PublishedPostRow> {
      const row = await findPublishedPostBySlug(database.db, slug);
      if (!row) throw notFound({ slug });
      return row;
    },

    listPosts(filter: PostFilter, limit: number): Promise<PostRow[]> {
      return listPosts(database.db, filter, limit);
    },

    async getPost(id: string): Promise<PostRow> {
      const row = isUuid(id) ? await findPost(database.db, id) : undefined;
      if (!row) throw notFound({ id });
      return row;
    },

    async createPost(editor: Editor, post: NewPost): Promise<PostRow> {
      const now = clock.now();
      try {
        const bodyHtml = await renderPostMarkdown(post.bodyMarkdown);
        return await database.transaction(async (tx) => {
          const row = await insertPost(tx, {
            id: newId(),
            ...post,
            bodyHtml,
            status: 'draft',
            authorId: editor.userId,
            createdAt: now,
            updatedAt: now,
          });
          await deps.recordAudit(
            { actor: { type: 'admin', id: editor.userId }, action: 'content.post.created', target: { type: 'post', id: row.id }, ip: editor.ip ?? null, details: { slug: row.slug, kind: row.kind } },
            tx,
          );
          return row;
        });
      } catch (error) {
        if (isUniqueViolation(error, 'posts_slug_key')) throw slugTaken(post.slug);
        throw error;
      }
    },

    async editPost(editor: Editor, id: string, edit: PostEdit): Promise<PostRow> {
      try {
        // Rendered before the row is locked: the lock is held for the write only.
        const bodyHtml = edit.bodyMarkdown === undefined ? undefined : await renderPostMarkdown(edit.bodyMarkdown);
        return await changePost(editor, id, 'content.post.updated', () => ({ ...edit, ...(bodyHtml === undefined ? {} : { bodyHtml }) }));
      } catch (error) {
        if (isUniqueViolation(error, 'posts_slug_key')) throw slugTaken(edit.slug ?? '');
        throw error;
      }
    },

    /** The first publication sets the date; publishing again after a withdrawal keeps it. */
    publishPost(editor: Editor, id: string): Promise<PostRow> {
      return changePost(editor, id, 'content.post.published', (row, now) =>
        row.status === 'published' ? null : { status: 'published', publishedAt: row.publishedAt ?? now },
      );
    },

    /** Back to draft: gone from the public list, the feed and its address. */
    unpublishPost(editor: Editor, id: string): Promise<PostRow> {
      return changePost(editor, id, 'content.post.unpublished', (row) => (row.status === 'draft' ? null : { status: 'draft' }));
    },

    async deletePost(editor: Editor, id: string): Promise<void> {
      if (!isUuid(id)) throw notFound({ id });
      await database.transaction(async (tx) => {
        const row = await deletePost(tx, id);
        if (!row) throw notFound({ id });
        await deps.recordAudit(
          { actor: { type: 'admin', id: editor.userId }, action: 'content.post.deleted', target: { type: 'post', id }, ip: editor.ip ?? null, details: { slug: row.slug, kind: row.kind } },
          tx,
        );
      });
    },

    previewMarkdown(bodyMarkdown: string): Promise<string> {
      return renderPostMarkdown(bodyMarkdown);
    },

    async exportSubject(subject: SubjectRef): Promise<Record<string, unknown[]>> {
      const rows = await listPostsByAuthor(database.db, subject.userId);
      return { posts: rows.map(({ bodyHtml: _html, ...row }) => row) };
    },

    async eraseSubject(subject: SubjectRef): Promise<void> {
      await database.transaction((tx) => forgetPostAuthor(tx, subject.userId));
    },
  };
}

export type ContentService = ReturnType<typeof createContentService>;
