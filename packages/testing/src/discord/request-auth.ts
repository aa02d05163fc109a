import type { IncomingHttpHeaders } from 'node:http';
import { constantTimeEqual } from '@weft/kernel';
import type { DiscordState, StandinApplication, StandinUser } from './discord-state';
import type { AccessGrant } from './oauth-grants';

/** Who a REST request acts as (Reference › Authentication: `Bot <token>` or `Bearer <token>`). */
export type DiscordCaller =
  | { kind: 'bearer'; user: StandinUser; grant: AccessGrant }
  | { kind: 'bot'; user: StandinUser; application: StandinApplication };

/** The caller of a request, or undefined when the token is missing, unknown, expired or revoked. */
export function findCaller(headers: IncomingHttpHeaders, state: DiscordState): DiscordCaller | undefined {
  const [scheme, token] = (headers.authorization ?? '').split(' ');
  if (!token) return undefined;
  if (scheme === 'Bearer') {
    const grant = state.oauth.findByAccessToken(token);
    const user = grant && state.findUser(grant.userId);
    return grant && user ? { kind: 'bearer', user, grant } : undefined;
  }
  if (scheme === 'Bot') {
    const application = state.findApplicationByBotToken(token);
    return application?.bot ? { kind: 'bot', user: application.bot.user, application } : undefined;
  }
  return undefined;
}

/** True when a Bearer caller's token carries one of the scopes, or the caller is a bot. */
export function hasScope(caller: DiscordCaller, ...scopes: string[]): boolean {
  return caller.kind === 'bot' || scopes.some((scope) => caller.grant.scopes.includes(scope));
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * Client authentication at the token endpoints: HTTP Basic with
 * `client_id:client_secret`, or both in the form body (RFC 6749 §2.3.1;
 * Discord accepts either, Topics › OAuth2). Basic values are form-encoded
 * before base64, so they are decoded once more.
 */
export function readClientCredentials(headers: IncomingHttpHeaders, form: URLSearchParams): ClientCredentials | undefined {
  const [scheme, encoded] = (headers.authorization ?? '').split(' ');
  if (scheme?.toLowerCase() === 'basic' && encoded) {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) return undefined;
    try {
      return {
        clientId: decodeURIComponent(decoded.slice(0, colon)),
        clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
      };
    } catch {
      return undefined;
    }
  }
  const clientId = form.get('client_id');
  const clientSecret = form.get('client_secret');
  return clientId && clientSecret ? { clientId, clientSecret } : undefined;
}

/** The application whose credentials these are, or undefined (→ 401 invalid_client). */
export function authenticateClient(
  credentials: ClientCredentials | undefined,
  state: DiscordState,
): StandinApplication | undefined {
  if (!credentials) return undefined;
  const application = state.findApplication(credentials.clientId);
  if (!application || !constantTimeEqual(application.client_secret, credentials.clientSecret)) return undefined;
  return application;
}
