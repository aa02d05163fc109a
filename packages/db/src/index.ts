export {
  openDatabase,
  queryRows,
  quoteIdentifier,
  type Database,
  type Db,
  type DbExecutor,
  type OpenDatabaseOptions,
  type Tx,
} from './database';
export type { PreparedResult, PreparedStatement } from './embedded-thread';
export { binaryArrayParam, type ArrayElementType } from './binary-array';
export { jsonbParam, toJsonbText } from './jsonb-param';
export { openJournal, type Journal, type JournalOptions } from './journal';
export { applyMigrations, appliedMigrationTags, pendingMigrations, readMigrations, type Migration } from './migrate';
export { outboxEvents, periodicJobs, systemInventories } from './system.tables';
export {
  claimDueOutboxEvents,
  countPendingOutboxEvents,
  markOutboxEventDelivered,
  OUTBOX_CHANNEL,
  markOutboxEventFailed,
  purgeDeliveredOutboxEvents,
  writeOutboxEvent,
  type DomainEvent,
} from './outbox';
export {
  claimPeriodicJob,
  finishPeriodicJob,
  registerPeriodicJobs,
  renewPeriodicJobLease,
  type ClaimedJob,
} from './periodic-jobs';
export { createEmbeddedVacuumJob, vacuumTablesThatNeedIt } from './embedded-vacuum';
export { isUniqueViolation } from './unique-violation';
