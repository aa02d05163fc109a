import type { DataRights } from '@weft/kernel';
import { contentInventory } from './content.tables';
import { createContentRoutes, type ContentRouteOptions } from './content.routes';
import { createContentService, type ContentServiceDeps } from './content.service';
import { mediaInventory } from './media.tables';
import { createMediaRoutes } from './media.routes';
import { createMediaService, type MediaServiceDeps } from './media.service';

export { ContentErrors } from './content.errors';
export type { ContentService, Editor, NewPost, PostEdit } from './content.service';
export { createLocalMediaStore, type MediaStore } from './media-store';
export { createS3MediaStore, type S3MediaStoreOptions } from './s3-media-store';

export interface ContentModuleDeps extends ContentServiceDeps, Pick<MediaServiceDeps, 'store' | 'onStoreError'>, Omit<ContentRouteOptions, 'clock'> {}

/**
 * The instance's blog and changelog: drafts, publishing and images for administrators, posts and
 * feeds for everyone.
 */
export function createContentModule(deps: ContentModuleDeps) {
  const content = createContentService(deps);
  const images = createMediaService(deps);
  const dataRights: DataRights = {
    module: 'content',
    exportSubject: async (subject) => ({ ...(await content.exportSubject(subject)), media: await images.exportSubject(subject) }),
    eraseSubject: async (subject) => {
      await content.eraseSubject(subject);
      await images.eraseSubject(subject);
    },
  };
  return {
    routes: [...createContentRoutes(content, { publicUrl: deps.publicUrl, instanceName: deps.instanceName, clock: deps.clock }), ...createMediaRoutes(images)],
    api: { ...content, ...images },
    inventories: [contentInventory, mediaInventory],
    dataRights,
  };
}

export type ContentModule = ReturnType<typeof createContentModule>;
