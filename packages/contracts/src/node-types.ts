import { z } from 'zod';

/**
 * One entry of the engine registry's describe() (GET /api/v1/node-types):
 * what the editor's palette and forms are built from. `params` is the JSON
 * Schema (input side) of the node's params as zod's toJSONSchema writes it.
 */
export const NodeTypeDescription = z.object({
  type: z.string(),
  version: z.number().int(),
  name: z.string(),
  description: z.string(),
  kind: z.enum(['trigger', 'action', 'flow']),
  ports: z.object({ inputs: z.array(z.string()), outputs: z.array(z.string()) }),
  hasSideEffects: z.boolean(),
  isResponse: z.boolean(),
  credentialType: z.string().optional(),
  /** Every type the node accepts, when it accepts several (chosen by a param, e.g. http.request's `auth`). */
  credentialTypes: z.array(z.string()).optional(),
  /** True when the node can make the run wait (durable waits). */
  canSuspend: z.boolean().optional(),
  /** Params read as stored rather than as `{{ }}` templates (e.g. a transform's JSONata mapping). */
  rawParams: z.array(z.string()).optional(),
  params: z.record(z.string(), z.unknown()),
});
export type NodeTypeDescription = z.output<typeof NodeTypeDescription>;

/** The reply is the bare list, in registry order. */
export const NodeTypeList = z.array(NodeTypeDescription);
export type NodeTypeList = z.output<typeof NodeTypeList>;
