import { AppError, isUuid, newId, type Clock, type SubjectRef } from '@weft/kernel';
import { isUniqueViolation, type Database, type Tx } from '@weft/db';
import type { Principal } from '@weft/http';
import { openCredentialSecrets, sealCredentialSecrets } from './credential-cipher';
import { parseCredentialData } from './credential-types';
import type { RecordAudit, RequireWorkspaceAccess } from './credentials.dependencies';
import { CredentialErrors } from './credentials.errors';
import {
  anonymizeCredentialCreator,
  deleteCredentialRow,
  deleteWorkspaceVault,
  findCredentialRow,
  insertCredentialRow,
  listCredentialRows,
  listCredentialRowsCreatedBy,
  updateCredentialRow,
  type CredentialRow,
} from './credentials.repository';
import type { WorkspaceKeys } from './workspace-keys.service';

export interface CredentialsServiceDeps {
  database: Database;
  clock: Clock;
  keys: WorkspaceKeys;
  requireWorkspaceAccess: RequireWorkspaceAccess;
  recordAudit: RecordAudit;
}

/** Who asks, and from where (the address goes to the audit log as a keyed hash only). */
export interface Caller {
  principal: Principal;
  ip?: string;
}

/** Everything about a credential that may be shown again: never a secret field. */
export interface CredentialView {
  id: string;
  type: string;
  name: string;
  publicFields: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  lastUsedAt: Date | null;
}

export interface CreateCredentialInput {
  type: string;
  name: string;
  data: Record<string, unknown>;
}

/** Fields sent replace the stored ones, `null` removes an optional field, fields not sent are kept. */
export interface UpdateCredentialInput {
  name?: string;
  data?: Record<string, unknown>;
}

export function toCredentialView(row: CredentialRow): CredentialView {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    publicFields: row.publicFields as Record<string, unknown>,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

function notFound(credentialId: string): AppError {
  return new AppError(CredentialErrors.CREDENTIAL_NOT_FOUND, 'No such credential in this workspace', { credentialId });
}

export function createCredentialsService(deps: CredentialsServiceDeps) {
  const { database, clock, keys } = deps;

  function auditActor(caller: Caller) {
    return { type: caller.principal.via === 'token' ? ('token' as const) : ('user' as const), id: caller.principal.userId };
  }

  async function runNamed<T>(name: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await database.transaction(work);
    } catch (error) {
      // The unique (workspace, name) index is the arbiter of concurrent creates and renames.
      if (isUniqueViolation(error, 'credentials_workspace_name_idx')) throw new AppError(CredentialErrors.CREDENTIAL_NAME_TAKEN, 'This workspace already has a credential with that name', { name });
      throw error;
    }
  }

  return {
    async listCredentials(caller: Caller, workspaceRef: string, page: { limit: number; after: { name: string; id: string } | null }): Promise<CredentialView[]> {
      const { workspace } = await deps.requireWorkspaceAccess(caller.principal, workspaceRef, 'resources.read');
      const rows = await listCredentialRows(database.db, workspace.id, page.after, page.limit);
      return rows.map(toCredentialView);
    },

    async getCredential(caller: Caller, workspaceRef: string, credentialId: string): Promise<CredentialView> {
      const { workspace } = await deps.requireWorkspaceAccess(caller.principal, workspaceRef, 'resources.read');
      const row = isUuid(credentialId) ? await findCredentialRow(database.db, workspace.id, credentialId) : undefined;
      if (!row) throw notFound(credentialId);
      return toCredentialView(row);
    },

    async createCredential(caller: Caller, workspaceRef: string, input: CreateCredentialInput): Promise<CredentialView> {
      // Access is checked before the transaction: on PGlite a query outside an open transaction would wait for it.
      const { workspace } = await deps.requireWorkspaceAccess(caller.principal, workspaceRef, 'credentials.manage');
      const { publicFields, secretFields } = parseCredentialData(input.type, input.data);
      const id = newId();
      const now = clock.now();
      return runNamed(input.name, async (tx) => {
        const dataKey = await keys.obtainDataKey(tx, workspace.id);
        const row = await insertCredentialRow(tx, {
          id,
          workspaceId: workspace.id,
          type: input.type,
          name: input.name,
          ciphertext: sealCredentialSecrets(dataKey, id, secretFields),
          publicFields,
          createdBy: caller.principal.userId,
          createdAt: now,
          updatedAt: now,
        });
        await deps.recordAudit(
          {
            actor: auditActor(caller),
            action: 'credentials.credential.created',
            target: { type: 'credential', id },
            workspaceId: workspace.id,
            ip: caller.ip,
            details: { type: input.type, name: input.name },
          },
          tx,
        );
        return toCredentialView(row);
      });
    },

    async updateCredential(caller: Caller, workspaceRef: string, credentialId: string, input: UpdateCredentialInput): Promise<CredentialView> {
      const { workspace } = await deps.requireWorkspaceAccess(caller.principal, workspaceRef, 'credentials.manage');
      if (!isUuid(credentialId)) throw notFound(credentialId);
      return runNamed(input.name ?? '', async (tx) => {
        const row = await findCredentialRow(tx, workspace.id, credentialId);
        if (!row) throw notFound(credentialId);
        const changes: Parameters<typeof updateCredentialRow>[3] = { updatedAt: clock.now() };
        if (input.name !== undefined) changes.name = input.name;
        if (input.data !== undefined) {
          const dataKey = await keys.obtainDataKey(tx, workspace.id);
          const stored = { ...(row.publicFields as Record<string, unknown>), ...openCredentialSecrets(dataKey, row.id, row.ciphertext) };
          const merged = Object.fromEntries(Object.entries({ ...stored, ...input.data }).filter(([, value]) => value !== null));
          const { publicFields, secretFields } = parseCredentialData(row.type, merged);
          changes.publicFields = publicFields;
          changes.ciphertext = sealCredentialSecrets(dataKey, row.id, secretFields);
        }
        const updated = (await updateCredentialRow(tx, workspace.id, credentialId, changes))!;
        await deps.recordAudit(
          {
            actor: auditActor(caller),
            action: 'credentials.credential.updated',
            target: { type: 'credential', id: row.id },
            workspaceId: workspace.id,
            ip: caller.ip,
            // Field names only: which fields changed is useful, their values never belong in the log.
            details: { renamed: input.name !== undefined && input.name !== row.name, fields: Object.keys(input.data ?? {}) },
          },
          tx,
        );
        return toCredentialView(updated);
      });
    },

    async deleteCredential(caller: Caller, workspaceRef: string, credentialId: string): Promise<void> {
      const { workspace } = await deps.requireWorkspaceAccess(caller.principal, workspaceRef, 'credentials.manage');
      if (!isUuid(credentialId)) throw notFound(credentialId);
      await database.transaction(async (tx) => {
        const row = await deleteCredentialRow(tx, workspace.id, credentialId);
        if (!row) throw notFound(credentialId);
        await deps.recordAudit(
          {
            actor: auditActor(caller),
            action: 'credentials.credential.deleted',
            target: { type: 'credential', id: row.id },
            workspaceId: workspace.id,
            ip: caller.ip,
            details: { type: row.type, name: row.name },
          },
          tx,
        );
      });
    },

    /**
     * Internal, for modules that keep a secret of their own (the bots module's
     * token): runs in the caller's transaction, so the credential and the row
     * that references it commit together. The caller authorizes and audits.
     */
    async storeCredential(tx: Tx, input: { workspaceId: string; type: string; name: string; data: Record<string, unknown>; createdBy: string | null }): Promise<CredentialView> {
      const { publicFields, secretFields } = parseCredentialData(input.type, input.data);
      const id = newId();
      const now = clock.now();
      const dataKey = await keys.obtainDataKey(tx, input.workspaceId);
      const row = await insertCredentialRow(tx, {
        id,
        workspaceId: input.workspaceId,
        type: input.type,
        name: input.name,
        ciphertext: sealCredentialSecrets(dataKey, id, secretFields),
        publicFields,
        createdBy: input.createdBy,
        createdAt: now,
        updatedAt: now,
      });
      return toCredentialView(row);
    },

    /** Internal: replaces every field of a credential (same type), in the caller's transaction. */
    async replaceCredentialData(tx: Tx, input: { workspaceId: string; credentialId: string; data: Record<string, unknown> }): Promise<void> {
      const row = isUuid(input.credentialId) ? await findCredentialRow(tx, input.workspaceId, input.credentialId) : undefined;
      if (!row) throw notFound(input.credentialId);
      const { publicFields, secretFields } = parseCredentialData(row.type, input.data);
      const dataKey = await keys.obtainDataKey(tx, input.workspaceId);
      await updateCredentialRow(tx, input.workspaceId, row.id, { publicFields, ciphertext: sealCredentialSecrets(dataKey, row.id, secretFields), updatedAt: clock.now() });
    },

    /** Internal: deletes a credential in the caller's transaction; a missing one is already gone. */
    async deleteCredentialInTransaction(tx: Tx, input: { workspaceId: string; credentialId: string }): Promise<void> {
      if (isUuid(input.credentialId)) await deleteCredentialRow(tx, input.workspaceId, input.credentialId);
    },

    /**
     * For the `workspaces.workspace.deleted` event: removes the workspace's
     * credentials and its data key. Idempotent, as at-least-once delivery needs.
     */
    async purgeWorkspaceCredentials(workspaceId: string): Promise<number> {
      if (!isUuid(workspaceId)) return 0;
      return database.transaction(async (tx) => {
        const removed = await deleteWorkspaceVault(tx, workspaceId);
        if (removed > 0) {
          await deps.recordAudit(
            { actor: { type: 'system' }, action: 'credentials.workspace.purged', workspaceId, details: { removed } },
            tx,
          );
        }
        return removed;
      });
    },

    /** Metadata of the credentials a person added; the secrets are the workspace's and never exported. */
    async exportSubject(subject: SubjectRef): Promise<Record<string, unknown[]>> {
      const rows = await listCredentialRowsCreatedBy(database.db, subject.userId);
      return { credentials: rows.map((row) => ({ ...toCredentialView(row), workspaceId: row.workspaceId, createdBy: row.createdBy })) };
    },

    /** Credentials are workspace property: they keep working, only the link to their creator goes. */
    async eraseSubject(subject: SubjectRef): Promise<void> {
      await anonymizeCredentialCreator(database.db, subject.userId);
    },
  };
}

export type CredentialsService = ReturnType<typeof createCredentialsService>;
