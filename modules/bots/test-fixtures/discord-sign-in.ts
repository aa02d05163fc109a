import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createAccountsModule, type AccountsModule } from '@weft/accounts';
import { createAuditModule } from '@weft/audit';
import type { Database } from '@weft/db';
import { createLogger, loadOrCreateSecrets, type Clock } from '@weft/kernel';
import { loadTestConfig, type DiscordStandin } from '@weft/testing';

export const ACCOUNTS_PUBLIC_URL = 'http://localhost:3000';

/**
 * The real accounts module on the bots test database, with "Sign in with
 * Discord" pointed at the stand-in through an OAuth application of its own
 * (the instance's login app, not a user's bot). Users get no workspace.
 */
export function createAccountsForBots(database: Database, discord: DiscordStandin, clock: Clock): AccountsModule {
  const application = discord.state.addApplication({ redirect_uris: [`${ACCOUNTS_PUBLIC_URL}/api/v1/auth/discord/callback`] });
  const dataDir = mkdtempSync(join(tmpdir(), 'weft-bots-accounts-'));
  const accounts: AccountsModule = createAccountsModule({
    database,
    clock,
    config: loadTestConfig({
      WEFT_DATA_DIR: dataDir,
      WEFT_PUBLIC_URL: ACCOUNTS_PUBLIC_URL,
      DISCORD_CLIENT_ID: application.id,
      DISCORD_CLIENT_SECRET: application.client_secret,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_AUTHORIZE_URL: `${discord.url}/oauth2/authorize`,
    }),
    secrets: loadOrCreateSecrets(dataDir),
    logger: createLogger({ level: 'silent', format: 'json' }),
    audit: createAuditModule({ database, clock, ipHashKey: 'test-ip-key' }).api,
    mailer: { send: async () => {} },
    onUserCreated: async () => {},
    resolveWorkspaceForToken: async () => {
      throw new Error('no API tokens in these tests');
    },
    eraseSubject: (subject) => accounts.dataRights.eraseSubject(subject),
  });
  return accounts;
}

export interface DashboardBrowser {
  userId: string;
  cookies: { weft_session: string };
  headers: { 'x-csrf-token': string };
  ip: string;
}

let ipCounter = 0;

/** What a browser does: /auth/discord → the stand-in's consent (as `discordUserId`) → the callback → a session and its CSRF token. */
export async function signInWithDiscord(app: FastifyInstance, discord: DiscordStandin, discordUserId: string): Promise<DashboardBrowser> {
  ipCounter += 1;
  const ip = `10.77.${ipCounter}.9`;
  const start = await app.inject({ method: 'GET', url: '/api/v1/auth/discord', remoteAddress: ip });
  if (start.statusCode !== 302) throw new Error(`auth/discord: ${start.statusCode} ${start.body}`);
  const stateCookie = start.cookies.find((cookie) => cookie.name === 'weft_oauth_state')!.value;
  discord.state.setAuthorizingUser(discordUserId);
  const consent = await fetch(new URL(start.headers.location as string), { redirect: 'manual' });
  const callback = new URL(consent.headers.get('location')!);
  const done = await app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}`, cookies: { weft_oauth_state: stateCookie }, remoteAddress: ip });
  const session = done.cookies.find((cookie) => cookie.name === 'weft_session')?.value;
  if (done.statusCode !== 302 || !session) throw new Error(`discord callback: ${done.statusCode} ${done.body}`);
  const csrf = await app.inject({ method: 'GET', url: '/api/v1/auth/csrf', cookies: { weft_session: session }, remoteAddress: ip });
  const me = await app.inject({ method: 'GET', url: '/api/v1/me', cookies: { weft_session: session }, remoteAddress: ip });
  return { userId: me.json().id, cookies: { weft_session: session }, headers: { 'x-csrf-token': csrf.json().csrfToken }, ip };
}
