import type { Clock, DataRights, Keyring } from '@weft/kernel';
import type { Database } from '@weft/db';
import type { RecordAudit, RequireWorkspaceAccess } from './credentials.dependencies';
import { createCredentialRoutes } from './credentials.routes';
import { createCredentialsService } from './credentials.service';
import { credentialsInventories } from './credentials.tables';
import { createRunCredentials } from './run-credentials.service';
import { createWorkspaceKeys } from './workspace-keys.service';

export type { RecordAudit, RequireWorkspaceAccess, WorkspacePermission } from './credentials.dependencies';
export type { CredentialView } from './credentials.service';
export type { CredentialForRun, CredentialReference, LoadCredentialForRunInput } from './run-credentials.service';
export type { MasterKeyRotationReport } from './workspace-keys.service';
export { CredentialErrors } from './credentials.errors';
export { CREDENTIAL_TYPES } from './credential-types';
export { REDACTED, redactSecrets } from './redact-secrets';

export interface CredentialsModuleDeps {
  database: Database;
  clock: Clock;
  /** Reads the master keyring from the instance secrets (re-read after a rotation by another process). */
  loadKeyring: () => Keyring;
  requireWorkspaceAccess: RequireWorkspaceAccess;
  recordAudit: RecordAudit;
}

export function createCredentialsModule(deps: CredentialsModuleDeps) {
  const keys = createWorkspaceKeys(deps);
  const service = createCredentialsService({ ...deps, keys });
  const runCredentials = createRunCredentials({ ...deps, keys });
  const dataRights: DataRights = { module: 'credentials', exportSubject: service.exportSubject, eraseSubject: service.eraseSubject };
  return {
    routes: createCredentialRoutes(service),
    api: {
      loadCredentialForRun: runCredentials.loadCredentialForRun,
      checkCredentialReference: runCredentials.checkCredentialReference,
      checkCredentialReferences: runCredentials.checkCredentialReferences,
      rotateMasterKey: keys.rotateMasterKey,
      purgeWorkspaceCredentials: service.purgeWorkspaceCredentials,
      /** Internal, in the caller's transaction (the bots module's token); the caller authorizes and audits. */
      storeCredential: service.storeCredential,
      replaceCredentialData: service.replaceCredentialData,
      deleteCredential: service.deleteCredentialInTransaction,
    },
    inventories: credentialsInventories,
    dataRights,
  };
}

export type CredentialsModule = ReturnType<typeof createCredentialsModule>;

/** Master-key rotation alone, for `weft keys rotate`: no HTTP routes, no workspace access involved. */
export function createMasterKeyRotation(deps: Pick<CredentialsModuleDeps, 'database' | 'clock' | 'loadKeyring' | 'recordAudit'>) {
  return { rotateMasterKey: createWorkspaceKeys(deps).rotateMasterKey };
}
