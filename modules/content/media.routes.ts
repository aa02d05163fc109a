import { MediaFileParams, MediaItem, MediaPage, MediaUploadQuery, PageQuery, PostIdParams } from '@weft/contracts';
import { decodeCursor, defineRoute, pageFromRows, type RouteDefinition } from '@weft/http';
import { IMAGE_TYPES } from '@weft/kernel';
import { z } from 'zod';
import type { MediaRow } from './media.repository';
import { mediaPath, type MediaService } from './media.service';

/** Large enough for a screenshot or a photo a post needs; the dashboard says so before uploading. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

const MediaDeleted = z.object({ deleted: z.literal(true), id: z.string() });

function toItem(row: MediaRow) {
  return { id: row.id, filename: row.filename, contentType: row.contentType, sizeBytes: row.sizeBytes, url: mediaPath(row), createdAt: row.createdAt };
}

export function createMediaRoutes(images: MediaService): RouteDefinition[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/admin/media',
      auth: 'admin',
      summary: 'Upload an image for posts: the body is the file (PNG, JPEG, GIF or WebP, at most 5 MB)',
      tags: ['content'],
      query: MediaUploadQuery,
      upload: { contentTypes: IMAGE_TYPES, maxBytes: MAX_IMAGE_BYTES },
      response: MediaItem,
      successStatus: 201,
      handler: async ({ query, request, principal, ip }) => toItem(await images.uploadImage({ userId: principal!.userId, ip }, { filename: query.filename, bytes: request.body as Buffer })),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/admin/media',
      auth: 'admin',
      summary: 'Uploaded images, newest first',
      tags: ['content'],
      query: PageQuery,
      response: MediaPage,
      handler: async ({ query }) => {
        const rows = await images.listImages(decodeCursor(query.cursor)?.id, query.limit + 1);
        return pageFromRows(rows, query.limit, (row) => ({ id: row.id }), toItem);
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/admin/media/:id',
      auth: 'admin',
      summary: 'Delete an image; posts that show it show a broken image',
      tags: ['content'],
      params: PostIdParams,
      response: MediaDeleted,
      handler: async ({ params, principal, ip }) => {
        await images.deleteImage({ userId: principal!.userId, ip }, params.id);
        return { deleted: true as const, id: params.id };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/media/:id/:filename',
      auth: 'public',
      summary: 'An uploaded image, as posts show it',
      tags: ['content'],
      params: MediaFileParams,
      response: z.unknown(),
      handler: async ({ params, request, reply }) => {
        const { row, bytes } = await images.openImage(params.id, params.filename);
        const etag = `"${row.sha256}"`;
        // An image never changes under its id: a new upload is a new id.
        reply.header('cache-control', 'public, max-age=31536000, immutable').header('etag', etag);
        if (request.headers['if-none-match'] === etag) return reply.status(304).send();
        return reply
          .status(200)
          .type(row.contentType)
          .header('content-disposition', `inline; filename="${row.filename}"`)
          // Served as an image only, never as a document a browser would run.
          .header('content-security-policy', "default-src 'none'; sandbox")
          // Public images: feed readers and other sites may show them (helmet's default is same-origin).
          .header('cross-origin-resource-policy', 'cross-origin')
          .send(bytes);
      },
    }),
  ];
}
