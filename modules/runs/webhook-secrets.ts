import type { WorkflowNode } from '@weft/engine';
import { AppError } from '@weft/kernel';
import type { CompiledWorkflowCache } from './compiled-workflow-cache';
import type { ContentKind } from './webhook-requests';
import { RunErrors } from './runs.errors';
import type { LoadWebhookSecret } from './webhook-auth';
import type { LoadCredential } from './workspace-services';

/** Long enough to keep a busy signed webhook off the database, short enough that a rotated secret takes over quickly. */
const SECRET_TTL_MS = 30_000;
const MAX_CACHED_SECRETS = 1000;

/**
 * Credential fields for webhook auth, cached briefly per workspace and
 * credential: verifying a signature should not cost a query and a
 * decryption per request.
 */
export function createWebhookSecrets(loadCredential: LoadCredential | undefined) {
  const cache = new Map<string, { fields: Record<string, unknown>; expiresAt: number }>();
  return {
    forWorkspace(workspaceId: string): LoadWebhookSecret {
      return async (credentialId, types) => {
        if (loadCredential === undefined) throw new AppError(RunErrors.WEBHOOK_UNAUTHORIZED, 'This instance has no credentials store');
        const key = `${workspaceId}:${credentialId}:${types.join(',')}`;
        const cached = cache.get(key);
        if (cached !== undefined && cached.expiresAt > Date.now()) return cached.fields;
        const { fields } = await loadCredential({ workspaceId, credentialId, expectedType: types });
        if (cache.size >= MAX_CACHED_SECRETS) cache.delete(cache.keys().next().value!);
        cache.set(key, { fields, expiresAt: Date.now() + SECRET_TTL_MS });
        return fields;
      };
    },
  };
}

/** The trigger node's `contentTypes` param, from the compiled graph (in memory after the first request). */
export function acceptedContentOf(graphs: CompiledWorkflowCache, versionId: string): readonly ContentKind[] | undefined | Promise<readonly ContentKind[] | undefined> {
  const compiled = graphs.peek(versionId);
  if (compiled !== undefined) return readContentTypes(compiled.steps[0]?.node);
  return graphs.load(versionId).then((loaded) => readContentTypes(loaded.steps[0]?.node));
}

function readContentTypes(node: WorkflowNode | undefined): readonly ContentKind[] | undefined {
  const value = (node?.params as { contentTypes?: ContentKind[] } | undefined)?.contentTypes;
  return Array.isArray(value) && value.length > 0 ? value : undefined;
}
