import { CREDENTIAL_SECRETS, type LoadCredentials, type NodeServices, type WorkflowCallService } from '@weft/engine';

/** The credentials module's loader: the credential is looked up inside `workspaceId` only. */
export type LoadCredential = (input: { workspaceId: string; credentialId: string; expectedType?: string | readonly string[] }) => Promise<{
  fields: Record<string, unknown>;
  /** Values to keep out of stored step outputs and errors. */
  secretValues?: string[];
}>;

export interface WorkspaceServicesDeps {
  servicesForWorkspace?: (workspaceId: string) => NodeServices;
  /** The "Call workflow" node's service, bound to the workspace. */
  workflowCallsFor?: (workspaceId: string) => WorkflowCallService;
  loadCredential?: LoadCredential;
}

export interface RunServices {
  services?: NodeServices;
  credentials?: LoadCredentials;
}

/** Enough for the busy workspaces of one process; a miss only costs building two small objects again. */
const MAX_CACHED_WORKSPACES = 1000;

/**
 * What a run of a workspace executes with: its own code isolate and a
 * credential loader that can only read that workspace's credentials. Cached
 * per workspace so the webhook hot path allocates nothing per request.
 */
export function createWorkspaceServices(deps: WorkspaceServicesDeps): (workspaceId: string) => RunServices {
  const cache = new Map<string, RunServices>();
  return (workspaceId) => {
    const cached = cache.get(workspaceId);
    if (cached !== undefined) return cached;
    const services: RunServices = {
      services: {
        ...deps.servicesForWorkspace?.(workspaceId),
        ...(deps.workflowCallsFor ? { workflows: deps.workflowCallsFor(workspaceId) } : {}),
      },
      ...(deps.loadCredential ? { credentials: bindCredentials(deps.loadCredential, workspaceId) } : {}),
    };
    if (cache.size >= MAX_CACHED_WORKSPACES) cache.delete(cache.keys().next().value!);
    cache.set(workspaceId, services);
    return services;
  };
}

/** The engine's loader for one workspace: a node naming another workspace's credential gets CREDENTIAL_NOT_FOUND. */
function bindCredentials(loadCredential: LoadCredential, workspaceId: string): LoadCredentials {
  return async (node, credentialType) => {
    const credential = await loadCredential({
      workspaceId,
      credentialId: node.credentialId!,
      ...(credentialType === undefined ? {} : { expectedType: credentialType }),
    });
    // The engine reads the symbol to redact these values from what the run stores.
    return Object.assign({ ...credential.fields }, { [CREDENTIAL_SECRETS]: credential.secretValues ?? [] });
  };
}
