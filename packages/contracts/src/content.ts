import { z } from 'zod';
import { IsoDate, Page, PageQuery } from './common';

export const PostKind = z.enum(['blog', 'changelog']);
export type PostKind = z.output<typeof PostKind>;

export const PostStatus = z.enum(['draft', 'published']);
export type PostStatus = z.output<typeof PostStatus>;

/** Lower-case words joined by hyphens: `weft-1-0-is-out`. The post's address, unique across kinds. */
export const PostSlug = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single hyphens, e.g. weft-1-0-is-out');

const PostTitle = z.string().trim().min(1, 'A post needs a title').max(200);
const PostSummary = z.string().trim().max(500);
/** Markdown; raw HTML in it is shown as text, never run. */
const PostMarkdown = z.string().max(200_000, 'A post is at most 200,000 characters');

/** A published post as anyone reads it. */
export const PublicPost = z.object({
  id: z.string(),
  kind: PostKind,
  slug: z.string(),
  title: z.string(),
  summary: z.string(),
  bodyHtml: z.string(),
  publishedAt: IsoDate,
  updatedAt: IsoDate,
});
export type PublicPost = z.output<typeof PublicPost>;

/** A line of the public list: the post without its body. */
export const PublicPostSummary = PublicPost.omit({ bodyHtml: true });
export type PublicPostSummary = z.output<typeof PublicPostSummary>;

export const PublicPostPage = Page(PublicPostSummary);
export type PublicPostPage = z.output<typeof PublicPostPage>;

/** `GET /api/v1/posts`: published posts, newest first, of one kind or both. */
export const PublicPostQuery = PageQuery.extend({ kind: PostKind.optional() });
export type PublicPostQuery = z.input<typeof PublicPostQuery>;

export const PostSlugParams = z.object({ slug: z.string().min(1).max(200) });
export const PostIdParams = z.object({ id: z.string().min(1).max(64) });

/** `GET /api/v1/posts/rss.xml`: the feed of one kind (blog by default). */
export const PostFeedQuery = z.object({ kind: PostKind.default('blog') });

/** A post as its editors see it: drafts too, with the markdown. */
export const EditablePost = z.object({
  id: z.string(),
  kind: PostKind,
  slug: z.string(),
  title: z.string(),
  summary: z.string(),
  bodyMarkdown: z.string(),
  bodyHtml: z.string(),
  status: PostStatus,
  authorId: z.string().nullable(),
  publishedAt: IsoDate.nullable(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type EditablePost = z.output<typeof EditablePost>;

export const EditablePostPage = Page(EditablePost.omit({ bodyMarkdown: true, bodyHtml: true }));
export type EditablePostPage = z.output<typeof EditablePostPage>;

/** `GET /api/v1/admin/posts`: every post, newest first, optionally of one kind or status. */
export const EditablePostQuery = PageQuery.extend({ kind: PostKind.optional(), status: PostStatus.optional() });
export type EditablePostQuery = z.input<typeof EditablePostQuery>;

export const CreatePostBody = z.strictObject({
  kind: PostKind,
  slug: PostSlug,
  title: PostTitle,
  summary: PostSummary.default(''),
  bodyMarkdown: PostMarkdown,
});
export type CreatePostBody = z.input<typeof CreatePostBody>;

/** Only the fields given change; at least one must be. */
export const UpdatePostBody = z
  .strictObject({ slug: PostSlug, title: PostTitle, summary: PostSummary, bodyMarkdown: PostMarkdown })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'Give at least one of slug, title, summary, bodyMarkdown');
export type UpdatePostBody = z.input<typeof UpdatePostBody>;

/** `POST /api/v1/admin/posts/preview`: the HTML a markdown text would publish as, without saving it. */
export const PostPreviewBody = z.strictObject({ bodyMarkdown: PostMarkdown });
export const PostPreview = z.object({ bodyHtml: z.string() });
export type PostPreview = z.output<typeof PostPreview>;

/** An uploaded image; `url` is where it is served (`/media/<id>/<filename>`), to use in markdown. */
export const MediaItem = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  url: z.string(),
  createdAt: IsoDate,
});
export type MediaItem = z.output<typeof MediaItem>;

export const MediaPage = Page(MediaItem);
export type MediaPage = z.output<typeof MediaPage>;

/** `POST /api/v1/admin/media?filename=…` with the image as the body (its content type as the header). */
export const MediaUploadQuery = z.object({ filename: z.string().trim().min(1).max(200) });
export const MediaFileParams = z.object({ id: z.string().min(1).max(64), filename: z.string().min(1).max(200) });
