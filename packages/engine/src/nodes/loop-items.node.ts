import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { AppError } from '@weft/kernel';
import { z } from 'zod';
import { defineNode } from '../define-node';
import { EngineErrors } from '../engine.errors';

/** Bounds one step's work; larger lists belong in a sub-workflow or a batch job. */
const MAX_LOOP_ITEMS = 100_000;

export const LoopItemsParams = z.object({
  items: z.string().min(1).describe('JSONata over the input giving the list, e.g. "body.orders"; a single value is a list of one'),
  mapping: z
    .string()
    .min(1)
    .default('$item')
    .describe('JSONata evaluated per item (or per batch) with $ and $item bound to it and $index to its position'),
  batchSize: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(1)
    .describe('1: the mapping sees each item; n > 1: it sees lists of up to n items, and results hold one entry per batch'),
  onItemError: z
    .enum(['stop', 'continue'])
    .default('stop')
    .describe('stop: the step fails at the first failing item; continue: the item yields null and its error is listed'),
});
export type LoopItemsParams = z.infer<typeof LoopItemsParams>;

export interface LoopItemsOutput {
  readonly results: unknown[];
  readonly errors: { readonly index: number; readonly message: string }[];
}

function wrapInList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function splitInBatches(items: unknown[], size: number): unknown[] {
  if (size === 1) return items;
  const batches: unknown[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}

/** How often the loop yields, so a long list does not hold the event loop (other runs, HTTP) for its whole length. */
const YIELD_EVERY = 200;

/** Maps every item of a list with one JSONata expression; no back-edge in the graph. */
export const loopItemsNode = defineNode({
  type: 'loop.items',
  version: 1,
  name: 'Loop over items',
  description: 'Evaluates a JSONata mapping for each item (or batch) of a list; collects results and per-item errors.',
  kind: 'flow',
  params: LoopItemsParams,
  ports: { inputs: ['main'], outputs: ['main'] },
  rawParams: ['items', 'mapping'],
  prepare: (params, { compileExpression }) => ({
    items: compileExpression(params.items, 'items'),
    mapping: compileExpression(params.mapping ?? '$item', 'mapping'),
  }),
  async run({ nodeId, input, params, prepared, evaluate, signal }) {
    const items = wrapInList(await evaluate(prepared.items, input));
    if (items.length > MAX_LOOP_ITEMS) {
      throw new AppError(EngineErrors.ENGINE_LOOP_ITEM_FAILED, `Node ${nodeId} got ${items.length} items; the limit is ${MAX_LOOP_ITEMS}`, { nodeId });
    }
    const output: LoopItemsOutput = { results: [], errors: [] };
    const batches = splitInBatches(items, params.batchSize);
    for (let index = 0; index < batches.length; index++) {
      if (index > 0 && index % YIELD_EVERY === 0) {
        await yieldToEventLoop();
        signal.throwIfAborted();
      }
      const item = batches[index];
      try {
        output.results.push((await evaluate(prepared.mapping, item, { item, index })) ?? null);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (params.onItemError === 'stop') {
          throw new AppError(EngineErrors.ENGINE_LOOP_ITEM_FAILED, `Item ${index} failed: ${message}`, { nodeId, index });
        }
        output.results.push(null);
        output.errors.push({ index, message });
      }
    }
    return { output };
  },
});
