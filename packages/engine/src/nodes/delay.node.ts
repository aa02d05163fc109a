import { setTimeout as wait } from 'node:timers/promises';
import { z } from 'zod';
import { defineNode } from '../define-node';

/** Longer pauses hold a worker slot for nothing: they belong to `wait.until`, which frees it. */
const MAX_DELAY_MS = 5 * 60_000;

export const DelayParams = z.object({
  ms: z.number().int().min(0).max(MAX_DELAY_MS).describe('Milliseconds to pause, at most 5 minutes; use "Wait until" for longer'),
});
export type DelayParams = z.infer<typeof DelayParams>;

/** Pauses in process, then passes its input on. Cancelling the run ends the pause at once. */
export const delayNode = defineNode({
  type: 'delay',
  version: 1,
  name: 'Delay',
  description: 'Pauses the run for up to 5 minutes, then passes the input on unchanged.',
  kind: 'flow',
  params: DelayParams,
  ports: { inputs: ['main'], outputs: ['main'] },
  async run({ input, params, sleep, signal }) {
    await (sleep ? sleep(params.ms) : wait(params.ms, undefined, { signal }));
    return { output: input };
  },
});
