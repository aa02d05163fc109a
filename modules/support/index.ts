import type { DataRights, PeriodicJob } from '@weft/kernel';
import { createSupportRoutes, type FindUsernames } from './support.routes';
import { createSupportService, type SupportServiceDeps } from './support.service';
import { ticketAttachmentsInventory, ticketMessagesInventory, ticketsInventory } from './support.tables';

export { SupportErrors } from './support.errors';
export type { FileStore, SupportService } from './support.service';

export interface SupportModuleDeps extends SupportServiceDeps {
  findUsernames: FindUsernames;
}

/** Support tickets: users ask the instance's staff (its administrators) for help and follow the answers. */
export function createSupportModule(deps: SupportModuleDeps) {
  const support = createSupportService(deps);
  const purgeJob: PeriodicJob = {
    name: 'support.purge-inactive',
    intervalMs: 24 * 3_600_000,
    async run({ logger }) {
      const removed = await support.purgeInactiveTickets();
      if (removed > 0) logger.info({ removed }, 'purged support tickets past their retention');
    },
  };
  const dataRights: DataRights = { module: 'support', exportSubject: support.exportSubject, eraseSubject: support.eraseSubject };
  return {
    routes: createSupportRoutes(support, deps.findUsernames),
    api: support,
    jobs: [purgeJob],
    inventories: [ticketsInventory, ticketMessagesInventory, ticketAttachmentsInventory],
    dataRights,
  };
}

export type SupportModule = ReturnType<typeof createSupportModule>;
