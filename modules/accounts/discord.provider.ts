import { z } from 'zod';
import { AppError, type Config } from '@weft/kernel';
import { AccountsErrors } from './accounts.errors';
import type { ManagedGuild } from './discord-guilds.tables';

/** Topics › OAuth2 › OAuth2 Scopes: who the user is, their address, and their guilds for the dashboard. */
const DISCORD_SCOPES = ['identify', 'email', 'guilds'];
const REQUEST_TIMEOUT_MS = 10_000;
/** Resources › User › Get Current User Guilds: at most 200 per page (a user is in at most 200 servers). */
const GUILDS_PAGE_SIZE = 200;
const MAX_GUILD_PAGES = 5;
/** Topics › Permissions: ADMINISTRATOR (1 << 3) and MANAGE_GUILD (1 << 5). */
const MANAGING_PERMISSIONS = (1n << 3n) | (1n << 5n);

const TokenReply = z.object({ access_token: z.string().min(1), token_type: z.string() });
const CurrentUser = z.object({
  id: z.string().regex(/^\d+$/),
  username: z.string(),
  global_name: z.string().nullish(),
  email: z.string().nullish(),
  verified: z.boolean().optional(),
});
const PartialGuild = z.object({ id: z.string().regex(/^\d+$/), owner: z.boolean().optional(), permissions: z.string().regex(/^\d+$/).optional() });

export interface DiscordIdentity {
  id: string;
  username: string;
  email: string | null;
  isEmailVerified: boolean;
  /** Servers the user manages (DESIGN §6); null when Discord did not answer the list (sign-in goes on without it). */
  managedGuilds: ManagedGuild[] | null;
}

/** A user manages a guild when they own it or hold ADMINISTRATOR or MANAGE_GUILD there (DESIGN §6). */
function toManagedGuild(guild: z.infer<typeof PartialGuild>): ManagedGuild | null {
  const isOwner = guild.owner === true;
  return isOwner || (BigInt(guild.permissions ?? '0') & MANAGING_PERMISSIONS) !== 0n ? { id: guild.id, isOwner } : null;
}

/**
 * The authorization-code flow against Discord (or the local stand-in: the
 * base URLs come from configuration). Kept from Discord: the user id and the
 * ids of the servers the user manages; the access token is used for this
 * one sign-in and dropped.
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

  /**
   * The servers the user manages, every page. Best effort: on a failure the
   * previous list stays and ages out (null); sign-in does not depend on it.
   */
  async function fetchManagedGuilds(accessToken: string): Promise<ManagedGuild[] | null> {
    const managed: ManagedGuild[] = [];
    let after: string | null = null;
    for (let page = 0; page < MAX_GUILD_PAGES; page++) {
      const query = new URLSearchParams({ limit: String(GUILDS_PAGE_SIZE), ...(after ? { after } : {}) });
      const response = await callDiscord(`${config.discord.apiUrl}/users/@me/guilds?${query}`, { headers: { authorization: `Bearer ${accessToken}` } }).catch(() => null);
      const guilds = z.array(PartialGuild).safeParse(response?.ok ? await response.json().catch(() => null) : null);
      if (!guilds.success) return null;
      for (const guild of guilds.data) {
        const entry = toManagedGuild(guild);
        if (entry) managed.push(entry);
      }
      if (guilds.data.length < GUILDS_PAGE_SIZE) return managed;
      after = guilds.data.at(-1)!.id;
    }
    return managed;
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

    /** Exchanges the code (Topics › OAuth2 › Authorization Code Grant), reads `/users/@me` and the managed servers. */
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
        managedGuilds: await fetchManagedGuilds(token.data.access_token),
      };
    },
  };
}

export type DiscordProvider = ReturnType<typeof createDiscordProvider>;
