import { AppError } from '@weft/kernel';
import { z } from 'zod';
import { defineNode } from '../define-node';
import { EngineErrors } from '../engine.errors';

export const MergeParams = z.object({
  mode: z
    .enum(['wait-all', 'first'])
    .default('wait-all')
    .describe('wait-all: run once every connected input fired (else skip); first: run when any did, passing a, else b, on'),
  combine: z
    .enum(['by-port', 'merge-objects', 'append'])
    .default('by-port')
    .describe('With wait-all: { a, b }; the objects shallow-merged (b wins); or one array of both (arrays are spread)'),
});
export type MergeParams = z.infer<typeof MergeParams>;

interface MergeInput {
  a?: unknown;
  b?: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function combineInputs(input: MergeInput, combine: MergeParams['combine'], nodeId: string): unknown {
  if (combine === 'append') return [input.a, input.b].filter((value) => value !== undefined).flatMap((value) => (Array.isArray(value) ? value : [value]));
  if (combine === 'by-port') return { ...input };
  const [a = {}, b = {}] = [input.a, input.b];
  if (!isPlainObject(a) || !isPlainObject(b)) {
    throw new AppError(EngineErrors.ENGINE_MERGE_INVALID, `Node ${nodeId} can only merge objects; use combine "by-port" or "append"`, { nodeId });
  }
  return { ...a, ...b };
}

/**
 * Joins two branches. The executor hands a node with several input ports
 * `{ a?, b? }` (the ports that fired) and runs it after both branches ran.
 */
export const mergeNode = defineNode({
  type: 'merge',
  version: 1,
  name: 'Merge',
  description: 'Joins two branches: waits for both and combines their outputs, or passes on whichever fired.',
  kind: 'flow',
  params: MergeParams,
  ports: { inputs: ['a', 'b'], outputs: ['main'] },
  // Read at compile time to decide when the node runs, so it cannot be a template.
  rawParams: ['mode'],
  selectInputJoin: (params) => (params.mode === 'first' ? 'any-input' : 'all-inputs'),
  run({ nodeId, input, params }) {
    const joined = input as MergeInput;
    if (params.mode === 'first') return { output: Object.hasOwn(joined, 'a') ? joined.a : joined.b };
    return { output: combineInputs(joined, params.combine, nodeId) };
  },
});
