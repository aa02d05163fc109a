import type { DataRights, TableInventory } from '@weft/kernel';
import type { DbExecutor } from '@weft/db';
import { findInventoryGaps, type InventoryGaps } from './check-inventory';
import { createInventoryRegistry, type InventoryRegistry } from './inventory-registry';
import { createPrivacyRoutes } from './privacy.routes';
import { createSubjectRights } from './subject-rights';

export type { SubjectExport } from './subject-rights';

export type { InventoryGaps, InventoryRegistry };
export { escapeHtml, listPersonalData, renderPrivacyNotice } from './render-privacy-notice';

export interface PrivacyModuleDeps {
  /** Every table inventory of every module and package, gathered by the composition root. */
  inventories: TableInventory[];
  instanceName: string;
  /** Every module's export/erase, in erasure order; read when a request runs. */
  dataRights: () => DataRights[];
  now: () => Date;
}

export function createPrivacyModule(deps: PrivacyModuleDeps) {
  const registry = createInventoryRegistry(deps.inventories);
  const subjectRights = createSubjectRights(deps.dataRights, deps.now);
  return {
    routes: createPrivacyRoutes(registry, deps.instanceName, subjectRights.exportSubject),
    api: {
      registry,
      findInventoryGaps: (executor: DbExecutor) => findInventoryGaps(executor, registry),
      exportSubject: subjectRights.exportSubject,
      eraseSubject: subjectRights.eraseSubject,
    },
  };
}
