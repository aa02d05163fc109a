import { AppError, isUuid, type Clock } from '@weft/kernel';
import type { Database, DbExecutor } from '@weft/db';
import { openCredentialSecrets } from './credential-cipher';
import { CredentialErrors } from './credentials.errors';
import { findCredentialRow, updateCredentialLastUsed } from './credentials.repository';
import { listSecretValues } from './redact-secrets';
import type { WorkspaceKeys } from './workspace-keys.service';

export interface RunCredentialsDeps {
  database: Database;
  clock: Clock;
  keys: WorkspaceKeys;
}

export interface LoadCredentialForRunInput {
  /** The workspace of the workflow being run — never taken from the credential. */
  workspaceId: string;
  credentialId: string;
  /** The type, or types, the node accepts. */
  expectedType?: string | readonly string[];
}

export interface CredentialForRun {
  id: string;
  type: string;
  name: string;
  /** Public and secret fields together, decrypted: only ever handed to a running step. */
  fields: Record<string, unknown>;
  /** Values to pass to `redactSecrets` for the step's logs, output and errors. */
  secretValues: string[];
}

/** `last_used_at` is informational: writing it once a minute at most keeps it off the hot path. */
const LAST_USED_RESOLUTION_MS = 60_000;

function listTypes(expected: string | readonly string[]): readonly string[] {
  return typeof expected === 'string' ? [expected] : expected;
}

export interface CredentialReference {
  nodeId: string;
  credentialId: string;
  type: string;
}

async function describeReferenceProblem(executor: DbExecutor, workspaceId: string, credentialId: string, type: string | readonly string[]): Promise<string | null> {
  const row = isUuid(workspaceId) && isUuid(credentialId) ? await findCredentialRow(executor, workspaceId, credentialId) : undefined;
  if (!row) return `Credential ${credentialId} does not exist in this workspace`;
  const types = listTypes(type);
  if (!types.includes(row.type)) return `Credential "${row.name}" is a ${row.type} credential; this node needs ${types.join(' or ')}`;
  return null;
}

/** Internal API for the engine: the only place decrypted secrets leave this module. */
export function createRunCredentials(deps: RunCredentialsDeps) {
  const { database, clock, keys } = deps;

  return {
    /**
     * Looks the credential up inside the run's workspace only, so a workflow of
     * workspace B naming a credential id of workspace A gets CREDENTIAL_NOT_FOUND,
     * exactly as for an id that does not exist.
     */
    async loadCredentialForRun(input: LoadCredentialForRunInput): Promise<CredentialForRun> {
      const { workspaceId, credentialId } = input;
      const row = isUuid(workspaceId) && isUuid(credentialId) ? await findCredentialRow(database.db, workspaceId, credentialId) : undefined;
      if (!row) throw new AppError(CredentialErrors.CREDENTIAL_NOT_FOUND, 'No such credential in this workspace', { credentialId });
      if (input.expectedType !== undefined && !listTypes(input.expectedType).includes(row.type)) {
        throw new AppError(CredentialErrors.CREDENTIAL_TYPE_MISMATCH, `Credential "${row.name}" is a ${row.type} credential`, {
          credentialId,
          type: row.type,
          expected: listTypes(input.expectedType),
        });
      }
      const dataKey = await keys.readDataKey(database.db, workspaceId);
      if (!dataKey) throw new AppError(CredentialErrors.CREDENTIAL_UNREADABLE, 'The workspace has no encryption key', { credentialId });
      const publicFields = row.publicFields as Record<string, unknown>;
      const secretFields = openCredentialSecrets(dataKey, row.id, row.ciphertext);
      const now = clock.now();
      if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
        await updateCredentialLastUsed(database.db, row.id, now);
      }
      return {
        id: row.id,
        type: row.type,
        name: row.name,
        fields: { ...publicFields, ...secretFields },
        secretValues: listSecretValues(row.type, publicFields, secretFields),
      };
    },

    /** For the graph validator: a problem to show on the node, or null when the reference is usable. */
    checkCredentialReference(workspaceId: string, credentialId: string, type: string | readonly string[], executor: DbExecutor = database.db): Promise<string | null> {
      return describeReferenceProblem(executor, workspaceId, credentialId, type);
    },

    /** Every node's credential problem at once, in the caller's transaction (publishing): node id → message. */
    async checkCredentialReferences(executor: DbExecutor, workspaceId: string, references: readonly CredentialReference[]): Promise<Map<string, string>> {
      const problems = new Map<string, string>();
      for (const reference of references) {
        const problem = await describeReferenceProblem(executor, workspaceId, reference.credentialId, reference.type);
        if (problem !== null) problems.set(reference.nodeId, problem);
      }
      return problems;
    },
  };
}

export type RunCredentials = ReturnType<typeof createRunCredentials>;
