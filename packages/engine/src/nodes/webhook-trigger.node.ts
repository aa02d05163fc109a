import { z } from 'zod';
import { defineNode } from '../define-node';

/** Segments of unreserved URL characters (RFC 3986 §2.3), so a path never needs escaping. */
const WebhookPath = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/, 'Use letters, digits, ".", "_", "~", "-" and "/" between segments');

const WebhookAuth = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('bearer'), credentialId: z.string().min(1).optional() }),
  z.object({
    type: z.literal('hmac-sha256'),
    header: z.string().min(1).max(100),
    credentialId: z.string().min(1).optional(),
    timestampHeader: z.string().min(1).max(100).optional(),
    toleranceSeconds: z.number().int().min(1).max(86_400).optional(),
  }),
]);

export const WebhookTriggerParams = z.object({
  path: WebhookPath.describe('URL path under the workspace webhook prefix'),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST').describe('The one method accepted'),
  /** sync: the HTTP reply waits for the response node; async: 202 at once. */
  mode: z.enum(['sync', 'async']).default('sync').describe('sync: the reply waits for the respond node; async: 202 at once'),
  auth: WebhookAuth.default({ type: 'none' }).describe('none, a bearer secret, or an HMAC-SHA256 signature of the raw body'),
});
export type WebhookTriggerParams = z.infer<typeof WebhookTriggerParams>;

/**
 * The host receives the request, checks the method and the auth described by
 * the params, then starts the run with `{ body, query, headers, method }`.
 */
export const webhookTriggerNode = defineNode({
  type: 'trigger.webhook',
  version: 1,
  name: 'Webhook',
  description: 'Starts the workflow when an HTTP request arrives at its path.',
  kind: 'trigger',
  params: WebhookTriggerParams,
  ports: { inputs: [], outputs: ['main'] },
  run: ({ input }) => ({ output: input }),
});
