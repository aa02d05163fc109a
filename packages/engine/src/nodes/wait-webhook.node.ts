import { AppError, randomToken } from '@weft/kernel';
import { z } from 'zod';
import { defineNode } from '../define-node';
import { EngineErrors } from '../engine.errors';

const DAY_SECONDS = 86_400;

export const WaitWebhookParams = z.object({
  timeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(30 * DAY_SECONDS)
    .default(DAY_SECONDS)
    .describe('How long the callback URL stays valid, at most 30 days'),
  onTimeout: z
    .enum(['fail', 'continue'])
    .default('fail')
    .describe('fail: the run fails when no callback came in time; continue: the input goes on through port "timeout"'),
});
export type WaitWebhookParams = z.infer<typeof WaitWebhookParams>;

/**
 * A durable wait for an HTTP callback. On its first run it suspends with a
 * fresh unguessable token (the host turns it into a callback URL and stores
 * it) and a `resumeAt` for the timeout. Resumed by the callback, its output is
 * the callback's payload on "main"; resumed by time, it times out.
 */
export const waitWebhookNode = defineNode({
  type: 'wait.webhook',
  version: 1,
  name: 'Wait for webhook',
  description: 'Pauses the run until its callback URL is called (durably), then outputs the callback body; or times out.',
  kind: 'flow',
  params: WaitWebhookParams,
  ports: { inputs: ['main'], outputs: ['main', 'timeout'] },
  canSuspend: true,
  run({ nodeId, input, params, resumed }) {
    if (resumed === undefined) {
      return { suspend: { callbackToken: randomToken(), resumeAt: new Date(Date.now() + params.timeoutSeconds * 1000) } };
    }
    if (resumed.cause !== 'time') return { output: resumed.payload ?? null, port: 'main' };
    if (params.onTimeout === 'continue') return { output: input, port: 'timeout' };
    throw new AppError(EngineErrors.ENGINE_WAIT_TIMED_OUT, `No callback reached node ${nodeId} within ${params.timeoutSeconds} s`, { nodeId });
  },
});
