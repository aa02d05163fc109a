import { z } from 'zod';
import { defineNode } from '../define-node';

/** Segments of unreserved URL characters (RFC 3986 §2.3), so a path never needs escaping. */
const WebhookPath = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/, 'Use letters, digits, ".", "_", "~", "-" and "/" between segments');

const credentialId = (type: string) => z.string().min(1).max(200).describe(`Id of a ${type} credential of this workspace`);

const WebhookAuth = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('bearer'), credentialId: credentialId('bearer-token') }).describe('Authorization: Bearer <token>'),
  z.object({ type: z.literal('basic'), credentialId: credentialId('basic-auth') }).describe('Authorization: Basic (RFC 7617)'),
  z
    .object({
      type: z.literal('hmac-sha256'),
      credentialId: credentialId('hmac-secret'),
      style: z
        .enum(['github', 'stripe', 'generic'])
        .default('generic')
        .describe('github: X-Hub-Signature-256 "sha256=<hex>" of the body; stripe: Stripe-Signature "t=<unix>,v1=<hex>" of "t.body"; generic: the headers below'),
      header: z.string().min(1).max(100).optional().describe('generic: header holding the hex signature (optionally "sha256=…")'),
      timestampHeader: z.string().min(1).max(100).optional().describe('generic: header holding a unix timestamp; then the signature covers "timestamp.body"'),
      toleranceSeconds: z.number().int().min(1).max(86_400).default(300).describe('Oldest (or furthest ahead) timestamp accepted'),
    })
    .refine((auth) => auth.style !== 'generic' || auth.header !== undefined, { message: 'generic signatures need a header', path: ['header'] })
    .describe('HMAC-SHA256 signature of the raw body'),
]);

/** What bodies the webhook accepts; anything else is refused with 415. */
const ContentKind = z.enum(['json', 'form', 'text']);

export const WebhookTriggerParams = z.object({
  path: WebhookPath.describe('URL path under the workspace webhook prefix'),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST').describe('The one method accepted'),
  /** sync: the HTTP reply waits for the response node; async: 202 at once. */
  mode: z.enum(['sync', 'async']).default('sync').describe('sync: the reply waits for the respond node; async: 202 at once'),
  auth: WebhookAuth.default({ type: 'none' }).describe('none, a bearer token, basic auth, or an HMAC-SHA256 signature of the raw body'),
  contentTypes: z
    .array(ContentKind)
    .min(1)
    .optional()
    .describe('Accepted bodies: json (application/json), form (application/x-www-form-urlencoded), text (text/plain); all when empty'),
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
