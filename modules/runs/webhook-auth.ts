import { createHmac } from 'node:crypto';
import { AppError, constantTimeEqual } from '@weft/kernel';
import { RunErrors } from './runs.errors';

/** The auth part of a webhook trigger's params (see trigger.webhook). */
export type WebhookAuth =
  | { type: 'none' }
  | { type: 'bearer' | 'basic'; credentialId: string }
  | { type: 'hmac-sha256'; credentialId: string; style?: 'github' | 'stripe' | 'generic'; header?: string; timestampHeader?: string; toleranceSeconds?: number };

/** What verification reads from a request. Header names are lower case (Node's). */
export interface SignedRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  /** Unix seconds. */
  nowSeconds: number;
}

/** Reads a credential's fields (decrypted) in the trigger's workspace; rejects when it is not there or of another type. */
export type LoadWebhookSecret = (credentialId: string, types: readonly string[]) => Promise<Record<string, unknown>>;

const DEFAULT_TOLERANCE_SECONDS = 300;

function refuse(message: string): never {
  // One code for every failure: a caller probing the webhook learns nothing about which check failed beyond the message.
  throw new AppError(RunErrors.WEBHOOK_UNAUTHORIZED, message);
}

function readHeader(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function sign(secret: string, payload: Buffer): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

function checkTimestamp(timestamp: string | undefined, request: SignedRequest, toleranceSeconds: number): string {
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) refuse('The signature timestamp is missing or malformed');
  if (Math.abs(request.nowSeconds - Number(timestamp)) > toleranceSeconds) refuse('The signature timestamp is outside the accepted window');
  return timestamp;
}

function withTimestamp(timestamp: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp}.`), body]);
}

/** Stripe-Signature: `t=<unix>,v1=<hex>[,v1=<hex>…]`; any v1 may match (several during a secret roll). */
function verifyStripeStyle(request: SignedRequest, secret: string, toleranceSeconds: number): void {
  const header = readHeader(request, 'stripe-signature') ?? refuse('The Stripe-Signature header is missing');
  const parts = header.split(',').map((part) => part.trim().split('=') as [string, string | undefined]);
  const timestamp = checkTimestamp(parts.find(([key]) => key === 't')?.[1], request, toleranceSeconds);
  const expected = sign(secret, withTimestamp(timestamp, request.rawBody));
  const candidates = parts.filter(([key]) => key === 'v1').map(([, value]) => value ?? '');
  if (!candidates.some((candidate) => constantTimeEqual(candidate, expected))) refuse('The signature does not match');
}

function verifySignatureHeader(request: SignedRequest, headerName: string, secret: string, payload: Buffer): void {
  const header = readHeader(request, headerName) ?? refuse(`The ${headerName} header is missing`);
  const given = header.startsWith('sha256=') ? header.slice('sha256='.length) : header;
  if (!constantTimeEqual(given.toLowerCase(), sign(secret, payload))) refuse('The signature does not match');
}

function verifyHmac(auth: Extract<WebhookAuth, { type: 'hmac-sha256' }>, request: SignedRequest, secret: string): void {
  const tolerance = auth.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  switch (auth.style ?? 'generic') {
    case 'stripe':
      return verifyStripeStyle(request, secret, tolerance);
    case 'github':
      // GitHub signs the body only (no timestamp); replays are the receiver's concern (X-GitHub-Delivery).
      return verifySignatureHeader(request, 'x-hub-signature-256', secret, request.rawBody);
    case 'generic': {
      const payload =
        auth.timestampHeader === undefined
          ? request.rawBody
          : withTimestamp(checkTimestamp(readHeader(request, auth.timestampHeader), request, tolerance), request.rawBody);
      return verifySignatureHeader(request, auth.header!, secret, payload);
    }
  }
}

function verifyAuthorizationHeader(auth: { type: 'bearer' | 'basic' }, request: SignedRequest, fields: Record<string, unknown>): void {
  const header = readHeader(request, 'authorization') ?? refuse('The Authorization header is missing');
  const expected =
    auth.type === 'bearer'
      ? `Bearer ${String(fields.token)}`
      : `Basic ${Buffer.from(`${String(fields.username)}:${String(fields.password)}`).toString('base64')}`;
  // The scheme is case-insensitive (RFC 9110 §11.1); the credentials are not.
  const [scheme = '', ...rest] = header.split(' ');
  const [expectedScheme = '', ...expectedRest] = expected.split(' ');
  if (scheme.toLowerCase() !== expectedScheme.toLowerCase() || !constantTimeEqual(rest.join(' '), expectedRest.join(' '))) {
    refuse('The credentials are not valid for this webhook');
  }
}

const CREDENTIAL_TYPES = { bearer: ['bearer-token'], basic: ['basic-auth'], 'hmac-sha256': ['hmac-secret'] } as const;

/**
 * Checks a webhook request against its trigger's auth before any run
 * exists. Signatures are computed over the raw bytes received, compared in
 * constant time; a credential that is missing, deleted or of the wrong type
 * refuses the request just like a wrong secret (and the run never starts).
 */
export async function verifyWebhookRequest(auth: WebhookAuth, request: SignedRequest, loadSecret: LoadWebhookSecret): Promise<void> {
  if (auth.type === 'none') return;
  let fields: Record<string, unknown>;
  try {
    fields = await loadSecret(auth.credentialId, CREDENTIAL_TYPES[auth.type]);
  } catch {
    refuse('This webhook cannot check requests: its credential is missing');
  }
  if (auth.type === 'hmac-sha256') return verifyHmac(auth, request, String(fields.secret));
  return verifyAuthorizationHeader(auth, request, fields);
}
