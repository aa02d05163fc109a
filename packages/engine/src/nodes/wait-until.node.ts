import { AppError } from '@weft/kernel';
import { z } from 'zod';
import { defineNode } from '../define-node';
import { EngineErrors } from '../engine.errors';

/** Waits further out are more likely mistakes (ms vs s) than plans. */
const MAX_WAIT_MS = 366 * 24 * 3600_000;
/** Host timers may fire a little early; re-suspending for a few ms would only cost another round trip. */
const EARLY_TOLERANCE_MS = 1000;

export const WaitUntilParams = z.object({
  until: z
    .union([
      z.string().refine((text) => Number.isFinite(Date.parse(text)), 'must be a date, e.g. 2030-01-31T09:00:00Z'),
      z.number().int().describe('Epoch milliseconds'),
    ])
    .describe('When to go on: an ISO 8601 date or epoch milliseconds, usually an expression such as {{ $trigger.body.remindAt }}'),
});
export type WaitUntilParams = z.infer<typeof WaitUntilParams>;

/**
 * A durable wait: the run is saved as waiting and the worker is freed; the
 * host resumes it at `resumeAt`. A date already past goes on at once.
 */
export const waitUntilNode = defineNode({
  type: 'wait.until',
  version: 1,
  name: 'Wait until',
  description: 'Pauses the run until a date (durably: it survives restarts), then passes the input on unchanged.',
  kind: 'flow',
  params: WaitUntilParams,
  ports: { inputs: ['main'], outputs: ['main'] },
  canSuspend: true,
  // The same on first run and on resume: a host that wakes the run early only makes it wait again.
  run({ nodeId, input, params }) {
    const until = new Date(params.until);
    const now = Date.now();
    if (until.getTime() - now > MAX_WAIT_MS) {
      throw new AppError(EngineErrors.ENGINE_PARAMS_INVALID, `Node ${nodeId} would wait until ${until.toISOString()}, more than a year ahead`, { nodeId });
    }
    if (until.getTime() <= now + EARLY_TOLERANCE_MS) return { output: input };
    return { suspend: { resumeAt: until } };
  },
});
