import type { DataRights } from '@weft/kernel';
import { contentInventory } from './content.tables';
import { createContentRoutes, type ContentRouteOptions } from './content.routes';
import { createContentService, type ContentServiceDeps } from './content.service';

export { ContentErrors } from './content.errors';
export type { ContentService, Editor, NewPost, PostEdit } from './content.service';

export interface ContentModuleDeps extends ContentServiceDeps, Omit<ContentRouteOptions, 'clock'> {}

/** The instance's blog and changelog: drafts and publishing for administrators, posts and feeds for everyone. */
export function createContentModule(deps: ContentModuleDeps) {
  const content = createContentService(deps);
  const dataRights: DataRights = { module: 'content', exportSubject: content.exportSubject, eraseSubject: content.eraseSubject };
  return {
    routes: createContentRoutes(content, { publicUrl: deps.publicUrl, instanceName: deps.instanceName, clock: deps.clock }),
    api: content,
    inventories: [contentInventory],
    dataRights,
  };
}

export type ContentModule = ReturnType<typeof createContentModule>;
