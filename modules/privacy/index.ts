import type { TableInventory } from '@weft/kernel';
import type { DbExecutor } from '@weft/db';
import { findInventoryGaps, type InventoryGaps } from './check-inventory';
import { createInventoryRegistry, type InventoryRegistry } from './inventory-registry';
import { createPrivacyRoutes } from './privacy.routes';

export type { InventoryGaps, InventoryRegistry };
export { escapeHtml, listPersonalData, renderPrivacyNotice } from './render-privacy-notice';

export interface PrivacyModuleDeps {
  /** Every table inventory of every module and package, gathered by the composition root. */
  inventories: TableInventory[];
  instanceName: string;
}

export function createPrivacyModule(deps: PrivacyModuleDeps) {
  const registry = createInventoryRegistry(deps.inventories);
  return {
    routes: createPrivacyRoutes(registry, deps.instanceName),
    api: {
      registry,
      findInventoryGaps: (executor: DbExecutor) => findInventoryGaps(executor, registry),
    },
  };
}
