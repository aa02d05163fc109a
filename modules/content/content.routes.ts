import {
  CreatePostBody,
  EditablePost,
  EditablePostPage,
  EditablePostQuery,
  PostFeedQuery,
  PostIdParams,
  PostPreview,
  PostPreviewBody,
  PostSlugParams,
  PublicPost,
  PublicPostPage,
  PublicPostQuery,
  UpdatePostBody,
} from '@weft/contracts';
import { decodeCursor, defineRoute, pageFromRows, type RouteDefinition } from '@weft/http';
import { isUuid, type Clock } from '@weft/kernel';
import { z } from 'zod';
import type { PublishedPostRow } from './content.repository';
import type { ContentService } from './content.service';
import { renderRssFeed } from './rss-feed';

export interface ContentRouteOptions {
  publicUrl: string;
  instanceName: string;
  clock: Clock;
}

const PUBLIC_URL = '/api/v1/posts';
const ADMIN_URL = '/api/v1/admin/posts';
const FEED_SIZE = 20;
/**
 * Feed readers may keep the feed this long; an edit shows within a minute. The JSON routes are
 * not cached: the dashboard reads them right after an administrator publishes or withdraws.
 */
const FEED_CACHE = 'public, max-age=60';

const PostDeleted = z.object({ deleted: z.literal(true), id: z.string() });

function publishedCursor(cursor: string | undefined): { publishedAt: Date; id: string } | undefined {
  const decoded = decodeCursor(cursor);
  const publishedAt = decoded?.p ? new Date(decoded.p) : undefined;
  // An undecodable cursor reads as the first page, as everywhere in the API.
  return publishedAt && !Number.isNaN(publishedAt.getTime()) && isUuid(decoded?.id ?? '') ? { publishedAt, id: decoded!.id! } : undefined;
}

export function createContentRoutes(content: ContentService, options: ContentRouteOptions): RouteDefinition[] {
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  return [
    defineRoute({
      method: 'GET',
      url: PUBLIC_URL,
      auth: 'public',
      summary: 'Published blog and changelog posts, newest first',
      tags: ['content'],
      query: PublicPostQuery,
      response: PublicPostPage,
      handler: async ({ query }) => {
        const rows = await content.listPublishedPosts({ kind: query.kind, before: publishedCursor(query.cursor) }, query.limit + 1);
        return pageFromRows(rows, query.limit, (row: PublishedPostRow) => ({ p: row.publishedAt.toISOString(), id: row.id }), ({ bodyHtml: _html, ...row }) => row);
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${PUBLIC_URL}/rss.xml`,
      auth: 'public',
      summary: 'RSS 2.0 feed of the newest published posts of one kind (blog by default)',
      tags: ['content'],
      query: PostFeedQuery,
      response: z.string(),
      handler: async ({ query, reply }) => {
        const rows = await content.listPublishedPosts({ kind: query.kind }, FEED_SIZE);
        const feed = renderRssFeed(rows, { kind: query.kind, publicUrl, instanceName: options.instanceName, now: options.clock.now() });
        return reply.status(200).header('cache-control', FEED_CACHE).type('application/rss+xml; charset=utf-8').send(feed);
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${PUBLIC_URL}/:slug`,
      auth: 'public',
      summary: 'One published post by its address, with its HTML',
      tags: ['content'],
      params: PostSlugParams,
      response: PublicPost,
      handler: ({ params }) => content.getPublishedPost(params.slug),
    }),
    defineRoute({
      method: 'GET',
      url: ADMIN_URL,
      auth: 'admin',
      summary: 'Every post, drafts too, newest first (instance administrators)',
      tags: ['content'],
      query: EditablePostQuery,
      response: EditablePostPage,
      handler: async ({ query }) => {
        const decoded = decodeCursor(query.cursor);
        const beforeId = decoded?.id && isUuid(decoded.id) ? decoded.id : undefined;
        const rows = await content.listPosts({ kind: query.kind, status: query.status, beforeId }, query.limit + 1);
        return pageFromRows(rows, query.limit, (row) => ({ id: row.id }), (row) => row);
      },
    }),
    defineRoute({
      method: 'POST',
      url: ADMIN_URL,
      auth: 'admin',
      summary: 'Start a post as a draft',
      tags: ['content'],
      body: CreatePostBody,
      response: EditablePost,
      successStatus: 201,
      handler: ({ body, principal, ip }) => content.createPost({ userId: principal!.userId, ip }, body),
    }),
    defineRoute({
      method: 'POST',
      url: `${ADMIN_URL}/preview`,
      auth: 'admin',
      summary: 'The HTML a markdown text would be published as, without saving anything',
      tags: ['content'],
      body: PostPreviewBody,
      response: PostPreview,
      handler: async ({ body }) => ({ bodyHtml: await content.previewMarkdown(body.bodyMarkdown) }),
    }),
    defineRoute({
      method: 'GET',
      url: `${ADMIN_URL}/:id`,
      auth: 'admin',
      summary: 'One post with its markdown, draft or published',
      tags: ['content'],
      params: PostIdParams,
      response: EditablePost,
      handler: ({ params }) => content.getPost(params.id),
    }),
    defineRoute({
      method: 'PATCH',
      url: `${ADMIN_URL}/:id`,
      auth: 'admin',
      summary: "Change a post's address, title, summary or text; a published post changes in public at once",
      tags: ['content'],
      params: PostIdParams,
      body: UpdatePostBody,
      response: EditablePost,
      handler: ({ params, body, principal, ip }) => content.editPost({ userId: principal!.userId, ip }, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: `${ADMIN_URL}/:id/publish`,
      auth: 'admin',
      summary: 'Publish a post (its first publication sets its date)',
      tags: ['content'],
      params: PostIdParams,
      response: EditablePost,
      handler: ({ params, principal, ip }) => content.publishPost({ userId: principal!.userId, ip }, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: `${ADMIN_URL}/:id/unpublish`,
      auth: 'admin',
      summary: 'Withdraw a post to draft: gone from the list, the feed and its address',
      tags: ['content'],
      params: PostIdParams,
      response: EditablePost,
      handler: ({ params, principal, ip }) => content.unpublishPost({ userId: principal!.userId, ip }, params.id),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${ADMIN_URL}/:id`,
      auth: 'admin',
      summary: 'Delete a post for good',
      tags: ['content'],
      params: PostIdParams,
      response: PostDeleted,
      handler: async ({ params, principal, ip }) => {
        await content.deletePost({ userId: principal!.userId, ip }, params.id);
        return { deleted: true as const, id: params.id };
      },
    }),
  ];
}
