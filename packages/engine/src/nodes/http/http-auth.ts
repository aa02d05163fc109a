import { AppError } from '@weft/kernel';
import { z } from 'zod';
import { EngineErrors } from '../../engine.errors';
import type { OAuth2ClientCredentials } from './oauth2-token-cache';

export const HTTP_AUTH_TYPES = ['api-key', 'basic-auth', 'bearer-token', 'oauth2-client-credentials'] as const;
export type HttpAuthType = (typeof HTTP_AUTH_TYPES)[number];

const Secret = z.string().min(1);

/**
 * Both spellings of an API key credential are read: the vault's
 * (`placement`, `name`, `prefix`) and the short one (`headerName`, `queryParam`).
 */
const ApiKeyFields = z.object({
  key: Secret,
  headerName: z.string().min(1).optional(),
  queryParam: z.string().min(1).optional(),
  placement: z.enum(['header', 'query']).optional(),
  name: z.string().min(1).optional(),
  prefix: z.string().optional(),
});
const BasicAuthFields = z.object({ username: z.string(), password: z.string() });
const BearerTokenFields = z.object({ token: Secret });
const OAuth2Fields = z.object({
  tokenUrl: z.url({ protocol: /^https?$/ }),
  clientId: z.string().min(1),
  clientSecret: Secret,
  scope: z.string().optional(),
  audience: z.string().optional(),
  clientAuthentication: z.enum(['basic', 'body']).optional(),
});

/** What a credential adds to a request; OAuth2 needs a token fetched first. */
export interface HttpAuthPlan {
  readonly headers: Record<string, string>;
  readonly query: [string, string][];
  readonly oauth2?: OAuth2ClientCredentials;
}

function parseFields<T>(schema: z.ZodType<T>, fields: Record<string, unknown>, type: HttpAuthType, nodeId: string): T {
  const parsed = schema.safeParse(fields);
  if (parsed.success) return parsed.data;
  // Paths only: a value in a message would leak into run logs.
  const paths = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))].join(', ');
  throw new AppError(EngineErrors.ENGINE_CREDENTIAL_INVALID, `The credential of node ${nodeId} does not fit ${type}: check ${paths}`, { nodeId, type });
}

/** Turns credential fields into request headers and query parameters (RFC 7617 Basic, RFC 6750 Bearer). */
export function planHttpAuth(type: HttpAuthType, fields: Record<string, unknown>, nodeId: string): HttpAuthPlan {
  switch (type) {
    case 'api-key': {
      const apiKey = parseFields(ApiKeyFields, fields, type, nodeId);
      const headers: Record<string, string> = {};
      const query: [string, string][] = [];
      const value = `${apiKey.prefix ?? ''}${apiKey.key}`;
      if (apiKey.queryParam !== undefined) query.push([apiKey.queryParam, value]);
      if (apiKey.headerName !== undefined) headers[apiKey.headerName.toLowerCase()] = value;
      if (apiKey.queryParam === undefined && apiKey.headerName === undefined) {
        const name = apiKey.name ?? 'X-API-Key';
        if (apiKey.placement === 'query') query.push([name, value]);
        else headers[name.toLowerCase()] = value;
      }
      return { headers, query };
    }
    case 'basic-auth': {
      const { username, password } = parseFields(BasicAuthFields, fields, type, nodeId);
      return { headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}` }, query: [] };
    }
    case 'bearer-token':
      return { headers: { authorization: `Bearer ${parseFields(BearerTokenFields, fields, type, nodeId).token}` }, query: [] };
    case 'oauth2-client-credentials':
      return { headers: {}, query: [], oauth2: parseFields(OAuth2Fields, fields, type, nodeId) };
  }
}
