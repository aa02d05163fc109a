import { createHash } from 'node:crypto';
import type { Database } from '@weft/db';
import { AppError, detectImageType, isUuid, newId, safeFilename, type Clock, type SubjectRef } from '@weft/kernel';
import { ContentErrors } from './content.errors';
import type { ContentServiceDeps, Editor } from './content.service';
import { deleteMedia, findMedia, forgetMediaUploader, insertMedia, listMedia, listMediaByUploader, type MediaRow } from './media.repository';
import type { MediaStore } from './media-store';

export interface MediaServiceDeps extends ContentServiceDeps {
  database: Database;
  clock: Clock;
  store: MediaStore;
  /** Reports what could not be cleaned up (an image file left behind by a failed upload or a delete). */
  onStoreError?: (error: unknown, id: string) => void;
}

export interface Upload {
  filename: string;
  bytes: Buffer;
}

function notFound(id: string): AppError {
  return new AppError(ContentErrors.MEDIA_NOT_FOUND, 'No such image', { id });
}

/** The address an image is served at; the name is part of it so that links say what they show. */
export function mediaPath(row: Pick<MediaRow, 'id' | 'filename'>): string {
  return `/media/${row.id}/${row.filename}`;
}

export function createMediaService(deps: MediaServiceDeps) {
  const { database, clock, store } = deps;
  const reportStoreError = deps.onStoreError ?? (() => undefined);

  return {
    /**
     * Stores the bytes first, then the row with its audit entry in one transaction; if that
     * fails, the bytes are removed again, so an image exists only with its row.
     */
    async uploadImage(editor: Editor, upload: Upload): Promise<MediaRow> {
      const type = detectImageType(upload.bytes);
      if (!type) {
        throw new AppError(ContentErrors.MEDIA_NOT_AN_IMAGE, 'This file is not a PNG, JPEG, GIF or WebP image', { filename: upload.filename });
      }
      const id = newId();
      await store.put(id, upload.bytes);
      try {
        return await database.transaction(async (tx) => {
          const row = await insertMedia(tx, {
            id,
            filename: safeFilename(upload.filename, type),
            contentType: type,
            sizeBytes: upload.bytes.length,
            sha256: createHash('sha256').update(upload.bytes).digest('hex'),
            uploadedBy: editor.userId,
            createdAt: clock.now(),
          });
          await deps.recordAudit(
            { actor: { type: 'admin', id: editor.userId }, action: 'content.media.uploaded', target: { type: 'media', id }, ip: editor.ip ?? null, details: { filename: row.filename, sizeBytes: row.sizeBytes } },
            tx,
          );
          return row;
        });
      } catch (error) {
        await store.delete(id).catch((cleanupError: unknown) => reportStoreError(cleanupError, id));
        throw error;
      }
    },

    listImages(beforeId: string | undefined, limit: number): Promise<MediaRow[]> {
      return listMedia(database.db, beforeId && isUuid(beforeId) ? beforeId : undefined, limit);
    },

    /** The image at `/media/:id/:filename`: both must match, so an old or made-up name is a 404. */
    async openImage(id: string, filename: string): Promise<{ row: MediaRow; bytes: Buffer }> {
      const row = isUuid(id) ? await findMedia(database.db, id) : undefined;
      if (!row || row.filename !== filename) throw notFound(id);
      const bytes = await store.get(id);
      if (!bytes) throw notFound(id);
      return { row, bytes };
    },

    /** Removes the row (and its audit entry) first: a file left by a failed unlink is never served. */
    async deleteImage(editor: Editor, id: string): Promise<void> {
      if (!isUuid(id)) throw notFound(id);
      await database.transaction(async (tx) => {
        const row = await deleteMedia(tx, id);
        if (!row) throw notFound(id);
        await deps.recordAudit({ actor: { type: 'admin', id: editor.userId }, action: 'content.media.deleted', target: { type: 'media', id }, ip: editor.ip ?? null, details: { filename: row.filename } }, tx);
      });
      await store.delete(id).catch((error: unknown) => reportStoreError(error, id));
    },

    async exportSubject(subject: SubjectRef): Promise<MediaRow[]> {
      return listMediaByUploader(database.db, subject.userId);
    },

    async eraseSubject(subject: SubjectRef): Promise<void> {
      await database.transaction((tx) => forgetMediaUploader(tx, subject.userId));
    },
  };
}

export type MediaService = ReturnType<typeof createMediaService>;
