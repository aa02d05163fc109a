import {
  OAuth2Scopes,
  RESTJSONErrorCodes,
  type RESTPostOAuth2AccessTokenResult,
} from 'discord-api-types/v10';
import type { DiscordRouter, RouteReply, RouteRequest } from './discord-router';
import { replyDiscordError, replyJson, replyOAuthError, replyRedirect } from './discord-replies';
import type { DiscordState, StandinApplication } from './discord-state';
import { ACCESS_TOKEN_LIFETIME_SECONDS, type AccessGrant } from './oauth-grants';
import { authenticateClient, readClientCredentials } from './request-auth';

const KNOWN_SCOPES = new Set<string>(Object.values(OAuth2Scopes));

/**
 * The authorization-code grant of Topics › OAuth2: the authorize page, the
 * token exchange (codes and refresh tokens) and token revocation.
 */
export function registerOAuthRoutes(router: DiscordRouter, state: DiscordState): void {
  router.add(
    // Discord serves the page at /oauth2/authorize and under /api; clients use either.
    { method: 'GET', path: '/oauth2/authorize', isAlsoWebPage: true, reply: (request) => authorizeUser(request, state) },
    { method: 'POST', path: '/oauth2/token', reply: (request) => exchangeToken(request, state) },
    { method: 'POST', path: '/oauth2/token/revoke', reply: (request) => revokeToken(request, state) },
  );
}

/**
 * Stands in for the consent screen: the user chosen with
 * `state.setAuthorizingUser` accepts at once. Until the redirect URI is known
 * to be registered, errors are shown here and never sent to it (RFC 6749
 * §4.1.2.1: an unverified redirect URI must not receive the user); after that
 * they travel to the client as `error` parameters.
 */
function authorizeUser(request: RouteRequest, state: DiscordState): RouteReply {
  const query = request.query;
  const application = state.findApplication(query.get('client_id') ?? '');
  if (!application) return replyDiscordError(400, RESTJSONErrorCodes.UnknownApplication, 'Unknown Application');

  const requestedRedirectUri = query.get('redirect_uri');
  // RFC 6749 §3.1.2.3: the redirect_uri may be left out only when exactly one is registered.
  const redirectUri =
    requestedRedirectUri ?? (application.redirect_uris.length === 1 ? application.redirect_uris[0] : undefined);
  if (!redirectUri || !application.redirect_uris.includes(redirectUri)) {
    return replyDiscordError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, 'Invalid OAuth2 redirect_uri');
  }

  const clientState = query.get('state');
  const redirectBack = (params: Record<string, string>): RouteReply => {
    const location = new URL(redirectUri);
    for (const [name, value] of Object.entries(params)) location.searchParams.set(name, value);
    if (clientState !== null) location.searchParams.set('state', clientState);
    return replyRedirect(location.toString());
  };

  if (query.get('response_type') !== 'code') {
    return redirectBack({
      error: 'unsupported_response_type',
      error_description: 'The authorization server does not support obtaining an authorization code using this method',
    });
  }
  const scopes = (query.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
  if (scopes.length === 0 || scopes.some((scope) => !KNOWN_SCOPES.has(scope))) {
    return redirectBack({
      error: 'invalid_scope',
      error_description: 'The requested scope is invalid, unknown, or malformed.',
    });
  }
  if (state.takeIsAuthorizationDenied()) {
    return redirectBack({
      error: 'access_denied',
      error_description: 'The resource owner or authorization server denied the request',
    });
  }

  const user = state.findAuthorizingUser();
  if (!user) {
    return replyDiscordError(400, 0, 'Discord stand-in: no user to authorize as; seed one with state.addUser()');
  }
  const code = state.oauth.issueCode({
    applicationId: application.id,
    userId: user.id,
    scopes,
    redirectUri,
    isRedirectUriRequired: requestedRedirectUri !== null,
  });
  // `iss` names the authorization server (RFC 9207), as Discord's redirect does.
  return redirectBack({ code: code.code, iss: 'https://discord.com' });
}

/** POST /oauth2/token (Topics › OAuth2 › Authorization Code Grant, Refresh Token Exchange). */
function exchangeToken(request: RouteRequest, state: DiscordState): RouteReply {
  if (!isFormEncoded(request)) {
    return replyOAuthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(request.body);
  const application = authenticateClient(readClientCredentials(request.headers, form), state);
  if (!application) return replyOAuthError(401, 'invalid_client');

  switch (form.get('grant_type')) {
    case 'authorization_code':
      return exchangeAuthorizationCode(form, application, state);
    case 'refresh_token':
      return exchangeRefreshToken(form, application, state);
    default:
      return replyOAuthError(400, 'unsupported_grant_type');
  }
}

function exchangeAuthorizationCode(form: URLSearchParams, application: StandinApplication, state: DiscordState): RouteReply {
  const codeValue = form.get('code');
  if (!codeValue) return replyOAuthError(400, 'invalid_request', 'Missing "code" in request.');
  const code = state.oauth.takeCode(codeValue);
  if (!code || code.applicationId !== application.id) {
    return replyOAuthError(400, 'invalid_grant', 'Invalid "code" in request.');
  }
  const redirectUri = form.get('redirect_uri');
  // RFC 6749 §4.1.3: identical to the authorize request's redirect_uri when that one named it.
  const isRedirectUriValid = redirectUri === null ? !code.isRedirectUriRequired : redirectUri === code.redirectUri;
  if (!isRedirectUriValid) {
    return replyOAuthError(400, 'invalid_grant', 'Invalid "redirect_uri" in request.');
  }
  const grant = state.oauth.issueTokens({ applicationId: application.id, userId: code.userId, scopes: code.scopes });
  return replyTokens(grant);
}

function exchangeRefreshToken(form: URLSearchParams, application: StandinApplication, state: DiscordState): RouteReply {
  const refreshToken = form.get('refresh_token');
  if (!refreshToken) return replyOAuthError(400, 'invalid_request', 'Missing "refresh_token" in request.');
  const previous = state.oauth.findByRefreshToken(refreshToken);
  const grant = previous?.applicationId === application.id ? state.oauth.refresh(refreshToken) : undefined;
  if (!grant) return replyOAuthError(400, 'invalid_grant', 'Invalid "refresh_token" in request.');
  return replyTokens(grant);
}

/**
 * POST /oauth2/token/revoke (Topics › OAuth2 › Token Revocation; RFC 7009).
 * An unknown token still gets 200, so the endpoint cannot be used to probe tokens (RFC 7009 §2.2).
 */
function revokeToken(request: RouteRequest, state: DiscordState): RouteReply {
  if (!isFormEncoded(request)) {
    return replyOAuthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(request.body);
  const application = authenticateClient(readClientCredentials(request.headers, form), state);
  if (!application) return replyOAuthError(401, 'invalid_client');
  const token = form.get('token');
  if (!token) return replyOAuthError(400, 'invalid_request', 'Missing "token" in request.');
  const grant = state.oauth.findByAccessToken(token) ?? state.oauth.findByRefreshToken(token);
  if (grant?.applicationId === application.id) state.oauth.revokeAllFor(application.id, grant.userId);
  return replyJson({});
}

function replyTokens(grant: AccessGrant): RouteReply {
  const result: RESTPostOAuth2AccessTokenResult = {
    access_token: grant.accessToken,
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
    refresh_token: grant.refreshToken,
    scope: grant.scopes.join(' '),
  };
  // RFC 6749 §5.1: token replies must not be cached.
  return replyJson(result, 200, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}

function isFormEncoded(request: RouteRequest): boolean {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}
