import { z } from 'zod';
import { AppError } from '@weft/kernel';
import { describeZodIssues } from '@weft/http';
import { CredentialErrors } from './credentials.errors';

/**
 * A credential type splits its fields in two: public fields are stored in
 * clear and shown again (a username, a token URL); secret fields are sealed
 * and never leave the server except into a running step.
 */
export interface CredentialTypeDefinition {
  type: string;
  label: string;
  description: string;
  publicFields: z.ZodObject;
  secretFields: z.ZodType<Record<string, unknown>>;
}

const secret = z.string().min(1).max(10_000);
const label = z.string().trim().min(1).max(200);
// RFC 9110 token characters: valid as a header name and safe as a query parameter name.
const fieldName = z.string().min(1).max(100).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must contain only letters, digits and !#$%&\'*+.^_`|~-');
const hostname = z.string().min(1).max(253).regex(/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/, 'must be a hostname or an IP address');

export const CREDENTIAL_TYPES: readonly CredentialTypeDefinition[] = [
  {
    type: 'api-key',
    label: 'API key',
    description: 'A key sent in a request header or a query parameter',
    publicFields: z.strictObject({
      placement: z.enum(['header', 'query']).default('header'),
      name: fieldName.default('X-API-Key'),
      prefix: z.string().max(50).optional().describe('Written before the key, e.g. "Token "'),
    }),
    secretFields: z.strictObject({ key: secret }),
  },
  {
    type: 'basic-auth',
    label: 'Basic authentication',
    description: 'A user name and password sent as an HTTP Basic Authorization header (RFC 7617)',
    publicFields: z.strictObject({ username: z.string().min(1).max(200).regex(/^[^:]*$/, 'must not contain a colon (RFC 7617)') }),
    secretFields: z.strictObject({ password: secret }),
  },
  {
    type: 'bearer-token',
    label: 'Bearer token',
    description: 'A token sent as "Authorization: Bearer <token>" (RFC 6750)',
    publicFields: z.strictObject({}),
    secretFields: z.strictObject({ token: secret }),
  },
  {
    type: 'oauth2-client-credentials',
    label: 'OAuth2 client credentials',
    description: 'Exchanges a client id and secret for access tokens at a token URL (RFC 6749 §4.4)',
    publicFields: z.strictObject({
      tokenUrl: z.url({ protocol: /^https?$/ }).max(2000),
      clientId: z.string().min(1).max(500),
      scope: z.string().max(2000).optional(),
      audience: z.string().max(2000).optional(),
      clientAuthentication: z.enum(['basic', 'body']).default('basic'),
    }),
    secretFields: z.strictObject({ clientSecret: secret }),
  },
  {
    type: 'hmac-secret',
    label: 'HMAC secret',
    description: 'A shared secret for signing or verifying requests (webhook signatures)',
    publicFields: z.strictObject({
      algorithm: z.enum(['sha256', 'sha512', 'sha1']).default('sha256'),
      encoding: z.enum(['hex', 'base64']).default('hex'),
    }),
    secretFields: z.strictObject({ secret }),
  },
  {
    type: 'smtp',
    label: 'SMTP server',
    description: 'An outgoing mail server for the send email node',
    publicFields: z.strictObject({
      host: hostname,
      port: z.number().int().min(1).max(65_535).default(587),
      secure: z.boolean().default(false).describe('TLS from the first byte (port 465); false uses STARTTLS when offered'),
      user: z.string().min(1).max(320).optional(),
      from: label,
    }),
    secretFields: z.strictObject({ password: secret.optional() }),
  },
  {
    type: 'discord-bot-token',
    label: 'Discord bot',
    description: 'A Discord application with its public key and bot token',
    publicFields: z.strictObject({
      applicationId: z.string().regex(/^\d{17,20}$/, 'must be a Discord application id (snowflake)'),
      publicKey: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the 64 hex digits of the Ed25519 public key'),
    }),
    secretFields: z.strictObject({ token: z.string().max(200).regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'must be a bot token (three dot-separated parts)') }),
  },
  {
    type: 'generic-json',
    label: 'Generic secret (JSON)',
    description: 'Any JSON fields, all of them secret',
    publicFields: z.strictObject({}),
    secretFields: z
      .record(z.string().min(1).max(200), z.json())
      .refine((value) => Object.keys(value).length > 0, 'must contain at least one field'),
  },
];

const TYPES_BY_NAME = new Map(CREDENTIAL_TYPES.map((definition) => [definition.type, definition]));

/** Largest accepted `data`, serialized; credentials are keys, not documents. */
const MAX_DATA_BYTES = 64 * 1024;

export function findCredentialType(type: string): CredentialTypeDefinition {
  const definition = TYPES_BY_NAME.get(type);
  if (!definition) {
    throw new AppError(CredentialErrors.CREDENTIAL_TYPE_UNKNOWN, `There is no credential type "${type}"`, {
      known: [...TYPES_BY_NAME.keys()],
    });
  }
  return definition;
}

export interface ParsedCredentialData {
  publicFields: Record<string, unknown>;
  secretFields: Record<string, unknown>;
}

/**
 * Validates `data` against its type and splits it into public and secret
 * fields. Error details carry paths and rules only, never the values.
 */
export function parseCredentialData(type: string, data: Record<string, unknown>): ParsedCredentialData {
  const definition = findCredentialType(type);
  if (Buffer.byteLength(JSON.stringify(data)) > MAX_DATA_BYTES) {
    throw new AppError(CredentialErrors.CREDENTIAL_DATA_INVALID, `Credential data is larger than ${MAX_DATA_BYTES} bytes`, { type });
  }
  const publicKeys = new Set(Object.keys(definition.publicFields.shape));
  const entries = Object.entries(data);
  const publicResult = definition.publicFields.safeParse(Object.fromEntries(entries.filter(([key]) => publicKeys.has(key))));
  const secretResult = definition.secretFields.safeParse(Object.fromEntries(entries.filter(([key]) => !publicKeys.has(key))));
  const issues = [publicResult, secretResult].flatMap((result) =>
    result.success ? [] : describeZodIssues(result.error).map((issue) => ({ ...issue, path: issue.path ? `data.${issue.path}` : 'data' })),
  );
  if (!publicResult.success || !secretResult.success) {
    throw new AppError(CredentialErrors.CREDENTIAL_DATA_INVALID, `The data does not fit a ${type} credential`, { type, issues });
  }
  return { publicFields: publicResult.data, secretFields: secretResult.data };
}

/** What the editor needs to build a form: both halves as JSON Schema. */
export function describeCredentialTypes() {
  return CREDENTIAL_TYPES.map((definition) => ({
    type: definition.type,
    label: definition.label,
    description: definition.description,
    publicSchema: z.toJSONSchema(definition.publicFields, { io: 'input', unrepresentable: 'any' }),
    secretSchema: z.toJSONSchema(definition.secretFields, { io: 'input', unrepresentable: 'any' }),
  }));
}
