import { z } from 'zod';
import { AppError, type Config } from '@weft/kernel';
import { AccountsErrors } from './accounts.errors';

/** Topics › OAuth2 › OAuth2 Scopes: who the user is, their address, and their guilds for the dashboard. */
const DISCORD_SCOPES = ['identify', 'email', 'guilds'];
const REQUEST_TIMEOUT_MS = 10_000;

const TokenReply = z.object({ access_token: z.string().min(1), token_type: z.string() });
const CurrentUser = z.object({
  id: z.string().regex(/^\d+$/),
  username: z.string(),
  global_name: z.string().nullish(),
  email: z.string().nullish(),
  verified: z.boolean().optional(),
});

export interface DiscordIdentity {
  id: string;
  username: string;
  email: string | null;
  isEmailVerified: boolean;
}

/**
 * The authorization-code flow against Discord (or the local stand-in: the
 * base URLs come from configuration). Nothing from Discord is stored but the
 * user id; the access token is used once and dropped.
 */
export function createDiscordProvider(config: Config) {
  const oauth = config.discord.oauth;

  async function callDiscord(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      throw new AppError(AccountsErrors.AUTH_DISCORD_UNAVAILABLE, 'Discord could not be reached; try again', { cause: String(error) });
    }
  }

  return {
    isEnabled: oauth !== null,

    buildAuthorizeUrl(state: string, redirectUri: string): string {
      const url = new URL(config.discord.authorizeUrl);
      url.search = new URLSearchParams({
        client_id: oauth!.clientId,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: DISCORD_SCOPES.join(' '),
        state,
      }).toString();
      return url.toString();
    },

    /** Exchanges the code (Topics › OAuth2 › Authorization Code Grant) and reads `/users/@me`. */
    async fetchIdentity(code: string, redirectUri: string): Promise<DiscordIdentity> {
      const basic = Buffer.from(`${oauth!.clientId}:${oauth!.clientSecret}`).toString('base64');
      const tokenResponse = await callDiscord(`${config.discord.apiUrl}/oauth2/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }).toString(),
      });
      if (tokenResponse.status === 400 || tokenResponse.status === 401) {
        // invalid_grant: a used, expired or forged code (RFC 6749 §5.2).
        throw new AppError(AccountsErrors.AUTH_OAUTH_FAILED, 'Discord refused the sign-in; start again');
      }
      const token = TokenReply.safeParse(tokenResponse.ok ? await tokenResponse.json() : null);
      if (!token.success) throw new AppError(AccountsErrors.AUTH_DISCORD_UNAVAILABLE, 'Discord answered unexpectedly; try again');

      const userResponse = await callDiscord(`${config.discord.apiUrl}/users/@me`, {
        headers: { authorization: `Bearer ${token.data.access_token}` },
      });
      const user = CurrentUser.safeParse(userResponse.ok ? await userResponse.json() : null);
      if (!user.success) throw new AppError(AccountsErrors.AUTH_DISCORD_UNAVAILABLE, 'Discord answered unexpectedly; try again');
      return {
        id: user.data.id,
        username: user.data.username,
        email: user.data.email ? user.data.email.toLowerCase() : null,
        isEmailVerified: user.data.verified === true,
      };
    },
  };
}

export type DiscordProvider = ReturnType<typeof createDiscordProvider>;
