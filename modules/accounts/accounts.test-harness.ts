import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { SQL } from 'drizzle-orm';
import { createAuditModule } from '@weft/audit';
import { queryRows, type Tx } from '@weft/db';
import { createHttpApp, registerRoutes, type RouteDefinition } from '@weft/http';
import { AppError, CoreErrors, createLogger, createManualClock, isUuid, loadOrCreateSecrets } from '@weft/kernel';
import type { MailMessage } from '@weft/mailer';
import { createTestDatabase, loadTestConfig, type TestDatabase } from '@weft/testing';
import { createAccountsModule, type AccountsModule } from './index';

/**
 * One accounts module on a fresh test database behind a real Fastify app,
 * with the real audit module, a manual clock and a mailer that keeps mail in
 * memory. Only the edges the composition root owns are stubbed: the
 * workspace hooks (the workspaces module has its own tests) and erasure,
 * which calls this module's own `eraseSubject`.
 */
export interface HarnessOptions {
  env?: Record<string, string>;
  database?: TestDatabase;
  onUserCreated?: (tx: Tx, user: { userId: string; username: string }) => Promise<void>;
  /** Routes of "another module", to try the authenticator on (scopes, admin). */
  extraRoutes?: RouteDefinition[];
}

export const PUBLIC_URL = 'http://localhost:3000';
export const STRONG_PASSWORD = 'correct horse battery staple';

let ipCounter = 0;
/**
 * A client address on a network of its own (network hashes cover a /24), so
 * per-IP route limits and per-network lockouts never couple two tests.
 */
export function nextIp(): string {
  ipCounter += 1;
  return `10.${(ipCounter >> 8) & 255}.${ipCounter & 255}.7`;
}

export interface SignedInUser {
  userId: string;
  email: string;
  username: string;
  password: string;
  session: string;
  csrf: string;
  ip: string;
}

export async function createAccountsHarness(options: HarnessOptions = {}) {
  const database = options.database ?? (await createTestDatabase());
  const clock = createManualClock(new Date('2026-03-02T09:00:00Z'));
  const dataDir = mkdtempSync(join(tmpdir(), 'weft-accounts-'));
  const config = loadTestConfig({ WEFT_DATA_DIR: dataDir, WEFT_PUBLIC_URL: PUBLIC_URL, ...options.env });
  const secrets = loadOrCreateSecrets(dataDir);
  const logger = createLogger({ level: 'silent', format: 'json' });
  const audit = createAuditModule({ database, clock, ipHashKey: 'test-ip-key' });
  const mails: MailMessage[] = [];
  const erasedUserIds: string[] = [];
  const accounts: AccountsModule = createAccountsModule({
    database,
    clock,
    config,
    secrets,
    logger,
    audit: audit.api,
    mailer: {
      async send(message) {
        mails.push(message);
      },
    },
    onUserCreated: options.onUserCreated ?? (async () => {}),
    async resolveWorkspaceForToken(_userId, workspaceRef) {
      if (!isUuid(workspaceRef)) throw new AppError(CoreErrors.NOT_FOUND, 'No such workspace');
      return workspaceRef;
    },
    async eraseSubject(subject) {
      erasedUserIds.push(subject.userId);
      await accounts.dataRights.eraseSubject(subject);
    },
  });
  const app: FastifyInstance = await createHttpApp({ logger, bodyLimitBytes: 1024 * 1024, rateLimitPerMinute: 10_000 });
  await accounts.api.registerHttpPlugins(app);
  registerRoutes(app, [...accounts.routes, ...(options.extraRoutes ?? [])], accounts.api.authenticate);
  await app.ready();

  const harness = {
    database,
    clock,
    config,
    app,
    accounts,
    mails,
    erasedUserIds,

    rows<T = Record<string, unknown>>(query: SQL): Promise<T[]> {
      return queryRows<T>(database.db, query);
    },

    /** A request as the browser of `user` sends it: session cookie, and the CSRF header unless told otherwise. */
    injectAs(user: Pick<SignedInUser, 'session' | 'csrf' | 'ip'>, request: InjectOptions & { withoutCsrf?: boolean }) {
      const { withoutCsrf, ...rest } = request;
      return app.inject({
        remoteAddress: user.ip,
        ...rest,
        cookies: { weft_session: user.session, ...(rest.cookies as Record<string, string> | undefined) },
        headers: { ...(withoutCsrf ? {} : { 'x-csrf-token': user.csrf }), ...rest.headers },
      });
    },

    /** Signs up through the API and returns the browser's cookies. */
    async signUp(overrides: Partial<{ email: string; username: string; password: string; ref: string }> = {}): Promise<SignedInUser> {
      const suffix = Math.random().toString(36).slice(2, 8);
      const body = { email: `user-${suffix}@example.com`, username: `user_${suffix}`, password: STRONG_PASSWORD, ...overrides };
      const ip = nextIp();
      const response = await app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: body, remoteAddress: ip, headers: { 'user-agent': 'Firefox/130.0 (X11; Linux x86_64)' } });
      if (response.statusCode !== 201) throw new Error(`sign-up failed: ${response.statusCode} ${response.body}`);
      const reply = response.json<{ user: { id: string }; csrfToken: string }>();
      return { userId: reply.user.id, email: body.email, username: body.username, password: body.password, session: readCookie(response, 'weft_session')!, csrf: reply.csrfToken, ip };
    },

    async signIn(login: string, password: string, extra: Record<string, string> = {}, ip = nextIp()) {
      return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password, ...extra }, remoteAddress: ip });
    },

    async close() {
      await app.close();
      if (!options.database) await database.close();
    },
  };
  return harness;
}

export type AccountsHarness = Awaited<ReturnType<typeof createAccountsHarness>>;

export function readCookie(response: { cookies: { name: string; value: string }[] }, name: string): string | undefined {
  return response.cookies.find((cookie) => cookie.name === name)?.value;
}

/** The token a mailed link carries. */
export function readLinkToken(mail: MailMessage | undefined, page: string): string {
  const match = new RegExp(`${PUBLIC_URL}/${page}\\?token=([A-Za-z0-9_-]+)`).exec(mail?.text ?? '');
  if (!match) throw new Error(`no ${page} link in ${JSON.stringify(mail)}`);
  return match[1]!;
}
