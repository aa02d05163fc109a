import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createAccountsModule, type AccountsModule } from '@weft/accounts';
import { createAuditModule } from '@weft/audit';
import { queryRows } from '@weft/db';
import { AppError, CoreErrors, createLogger, isUuid, loadOrCreateSecrets, sha256Hex, systemClock } from '@weft/kernel';
import { createTestDatabase, loadTestConfig, type TestDatabase } from '@weft/testing';
import { createTokenCommand, createUserCommand, type CommandIo } from './accounts.commands';

const WORKSPACE = '0190a0b0-0000-7000-8000-00000000c011';
let database: TestDatabase;
let accounts: AccountsModule;

beforeAll(async () => {
  database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'weft-cli-accounts-'));
  accounts = createAccountsModule({
    database,
    clock: systemClock,
    config: loadTestConfig({ WEFT_DATA_DIR: dataDir }),
    secrets: loadOrCreateSecrets(dataDir),
    logger: createLogger({ level: 'silent', format: 'json' }),
    audit: createAuditModule({ database, clock: systemClock, ipHashKey: 'k' }).api,
    mailer: { send: async () => undefined },
    onUserCreated: async () => undefined,
    async resolveWorkspaceForToken(_userId, ref) {
      if (ref !== WORKSPACE) throw new AppError(CoreErrors.NOT_FOUND, 'No such workspace');
      return ref;
    },
    eraseSubject: async () => undefined,
  });
});
afterAll(async () => {
  await database.close();
});

function createIo(stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = { out: (line) => out.push(line), err: (line) => err.push(line), readStdin: async () => stdin };
  return { io, out, err };
}

describe('weft admin create-user', () => {
  it('creates an administrator with a verified email', async () => {
    const { io, out, err } = createIo();
    const code = await createUserCommand(accounts.api, ['--email', 'Root@Example.com', '--username', 'operator', '--password', 'a long operator passphrase', '--admin'], io);
    expect(code).toBe(0);
    expect(out).toEqual([]);
    expect(err.join('\n')).toContain('Created administrator operator <root@example.com>');
    const [row] = await queryRows<{ is_admin: boolean; password_hash: string; email_verified_at: Date | null }>(
      database.db,
      sql`SELECT is_admin, password_hash, email_verified_at FROM users WHERE username_lower = 'operator'`,
    );
    expect(row).toMatchObject({ is_admin: true, password_hash: expect.stringMatching(/^\$argon2id\$/) });
    expect(row!.email_verified_at).not.toBeNull();
  });

  it('reads the password from standard input with --password-stdin', async () => {
    const { io } = createIo('a piped secret passphrase\n');
    expect(await createUserCommand(accounts.api, ['--email', 'piped@example.com', '--username', 'piped', '--password-stdin'], io)).toBe(0);
    expect((await accounts.api.findUserByLogin('piped'))?.isAdmin).toBe(false);
  });

  it('refuses bad input with a message and exit code, writing nothing', async () => {
    const count = async () => (await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM users`))[0]!.n;
    const before = await count();
    const cases: [string[], number, string][] = [
      [['--email', 'x@example.com'], 64, 'Usage'],
      [['--email', 'x@example.com', '--username', 'x_user', '--password', 'p', '--password-stdin'], 64, 'Usage'],
      [['--email', 'x@example.com', '--username', 'x_user', '--password', 'a long passphrase', '--bogus'], 64, 'Usage'],
      [['--email', 'x@example.com', '--username', 'admin', '--password', 'a long passphrase'], 65, 'ACCOUNTS_USERNAME_RESERVED'],
      [['--email', 'root@example.com', '--username', 'other', '--password', 'a long passphrase'], 65, 'ACCOUNTS_EMAIL_TAKEN'],
      [['--email', 'x@example.com', '--username', 'x_user', '--password', 'short'], 65, 'VALIDATION_FAILED'],
      [['--email', 'not-an-email', '--username', 'x_user', '--password', 'a long passphrase'], 65, 'VALIDATION_FAILED'],
    ];
    for (const [args, exitCode, message] of cases) {
      const { io, err } = createIo();
      expect(await createUserCommand(accounts.api, args, io)).toBe(exitCode);
      expect(err.join('\n')).toContain(message);
    }
    expect(await count()).toBe(before);
  });
});

describe('weft tokens create', () => {
  it('prints the secret once on standard output and stores only its hash', async () => {
    const { io, out, err } = createIo();
    const code = await createTokenCommand(accounts.api, ['--user', 'OPERATOR', '--workspace', WORKSPACE, '--scopes', 'workflows:read, runs:write', '--name', 'deploy'], io);
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const secret = out[0]!;
    expect(secret).toMatch(/^weft_/);
    expect(err.join('\n')).toContain('with scopes workflows:read, runs:write');
    expect(err.join('\n')).not.toContain(secret);
    const [row] = await queryRows<{ token_hash: string; name: string; workspace_id: string }>(database.db, sql`SELECT token_hash, name, workspace_id FROM api_tokens`);
    expect(row).toEqual({ token_hash: sha256Hex(secret), name: 'deploy', workspace_id: WORKSPACE });
    expect(isUuid(row!.workspace_id)).toBe(true);
  });

  it('refuses an unknown user, a foreign workspace and bad scopes, creating no token', async () => {
    const count = async () => (await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM api_tokens`))[0]!.n;
    const before = await count();
    const cases: [string[], number, string][] = [
      [['--user', 'nobody', '--workspace', WORKSPACE, '--scopes', 'runs:read'], 65, 'ACCOUNTS_USER_NOT_FOUND'],
      [['--user', 'operator', '--workspace', 'someone-elses', '--scopes', 'runs:read'], 65, 'NOT_FOUND'],
      [['--user', 'operator', '--workspace', WORKSPACE, '--scopes', 'Not A Scope'], 65, 'VALIDATION_FAILED'],
      [['--user', 'operator', '--workspace', WORKSPACE, '--scopes', 'runs:read', '--expires-at', 'soon'], 64, '--expires-at'],
      [['--user', 'operator', '--scopes', 'runs:read'], 64, 'Usage'],
    ];
    for (const [args, exitCode, message] of cases) {
      const { io, out, err } = createIo();
      expect(await createTokenCommand(accounts.api, args, io)).toBe(exitCode);
      expect(err.join('\n')).toContain(message);
      expect(out).toEqual([]);
    }
    expect(await count()).toBe(before);
  });
});
