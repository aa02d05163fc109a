import type { CreatePostBody, EditablePost, EditablePostPage, MediaItem, PostKind, PostPreview, PostStatus, PublicPost, PublicPostPage, UpdatePostBody } from '@weft/contracts';
import { api } from './api-client';

export type { EditablePost, PostKind, PostStatus, PublicPost };
export type PublicPostSummary = PublicPostPage['items'][number];
export type EditablePostSummary = EditablePostPage['items'][number];

const PAGE_SIZE = 20;
const ADMIN = '/api/v1/admin/posts';

/** The blog and changelog: anyone reads what is published; instance administrators write. */
export const postsApi = {
  listPublished: (kind: PostKind, cursor?: string) => api.get<PublicPostPage>('/api/v1/posts', { query: { kind, limit: PAGE_SIZE, cursor }, isAuthOptional: true }),
  getPublished: (slug: string) => api.get<PublicPost>(`/api/v1/posts/${encodeURIComponent(slug)}`, { isAuthOptional: true }),
  listAll: (filters: { kind?: PostKind; status?: PostStatus }, cursor?: string) => api.get<EditablePostPage>(ADMIN, { query: { ...filters, limit: 50, cursor } }),
  get: (id: string) => api.get<EditablePost>(`${ADMIN}/${id}`),
  create: (body: CreatePostBody) => api.post<EditablePost>(ADMIN, body),
  update: (id: string, body: UpdatePostBody) => api.patch<EditablePost>(`${ADMIN}/${id}`, body),
  publish: (id: string) => api.post<EditablePost>(`${ADMIN}/${id}/publish`),
  unpublish: (id: string) => api.post<EditablePost>(`${ADMIN}/${id}/unpublish`),
  remove: (id: string) => api.delete<{ deleted: true; id: string }>(`${ADMIN}/${id}`),
  preview: (bodyMarkdown: string) => api.post<PostPreview>(`${ADMIN}/preview`, { bodyMarkdown }),
  uploadImage: (file: File) => api.upload<MediaItem>('/api/v1/admin/media', file, { query: { filename: file.name } }),
};

/** What the server takes (modules/content): checked here too, so a wrong file is refused before it is sent. */
export const IMAGE_UPLOAD = { types: ['image/png', 'image/jpeg', 'image/gif', 'image/webp'], maxBytes: 5 * 1024 * 1024 } as const;

/** Where a published post is read: `/blog/<slug>` or `/changelog/<slug>` (the feeds link there too). */
export function postPath(post: { kind: PostKind; slug: string }): string {
  return `/${post.kind}/${post.slug}`;
}
