import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import { AppError, decryptWithKey, unwrapDataKey, type Keyring } from '@weft/kernel';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import { credentialsInventories } from './credentials.tables';
import { createMasterKeys, createTestCredentialsModule, createTestKeyring, principalOf, type TestWorkspace } from './credentials-fixtures';

let database: TestDatabase;
let harness: ReturnType<typeof createTestCredentialsModule>;
let keyring: Keyring;
let workspaceA: TestWorkspace;
let workspaceB: TestWorkspace;
const alice = { principal: principalOf('user-alice'), ip: '198.51.100.7' };
const bob = { principal: principalOf('user-bob') };

beforeAll(async () => {
  database = await createTestDatabase();
  keyring = createTestKeyring(createMasterKeys(1));
  harness = createTestCredentialsModule(database, { loadKeyring: () => keyring });
  workspaceA = harness.directory.addWorkspace('team-a', { 'user-alice': 'owner' });
  workspaceB = harness.directory.addWorkspace('team-b', { 'user-bob': 'owner' });
});
afterAll(async () => {
  await database.close();
});

async function expectAppError(promise: Promise<unknown>, code: string): Promise<AppError> {
  const error = await promise.then(() => expect.fail(`expected ${code}`), (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

async function countRows(table: 'credentials' | 'workspace_keys' | 'audit_log'): Promise<number> {
  const [row] = await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`);
  return Number(row!.n);
}

describe('credential storage', () => {
  it('stores secrets encrypted: the secret string is nowhere in the tables, the ciphertext opens only with its row id as AAD', async () => {
    const password = 'correct-horse-battery-staple-42';
    const view = await harness.service.createCredential(alice, 'team-a', { type: 'basic-auth', name: 'CRM login', data: { username: 'ops', password } });
    const rows = await queryRows<{ ciphertext: string; public_fields: unknown }>(database.db, sql`SELECT * FROM credentials WHERE id = ${view.id}`);
    const keyRows = await queryRows<{ key_version: number; wrapped_key: string }>(database.db, sql`SELECT * FROM workspace_keys WHERE workspace_id = ${workspaceA.id}`);
    const everything = JSON.stringify({ rows, keyRows });
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(Buffer.from(password).toString('base64'));
    expect(rows[0]!.public_fields).toEqual({ username: 'ops' });

    const dataKey = unwrapDataKey(keyring, { keyVersion: keyRows[0]!.key_version, wrapped: keyRows[0]!.wrapped_key }, `workspace-key:${workspaceA.id}`);
    expect(JSON.parse(decryptWithKey(dataKey, rows[0]!.ciphertext, `credential:${view.id}`).toString())).toEqual({ password });
    expect(() => decryptWithKey(dataKey, rows[0]!.ciphertext, `credential:${workspaceB.id}`)).toThrow(AppError);
    expect(() => decryptWithKey(dataKey, rows[0]!.ciphertext)).toThrow(AppError);
  });

  it('refuses to open a ciphertext copied onto another credential row', async () => {
    const first = await harness.service.createCredential(alice, 'team-a', { type: 'bearer-token', name: 'first', data: { token: 'token-number-one' } });
    const second = await harness.service.createCredential(alice, 'team-a', { type: 'bearer-token', name: 'second', data: { token: 'token-number-two' } });
    await database.db.execute(sql`UPDATE credentials SET ciphertext = (SELECT ciphertext FROM credentials WHERE id = ${first.id}) WHERE id = ${second.id}`);
    await expectAppError(harness.run.loadCredentialForRun({ workspaceId: workspaceA.id, credentialId: second.id }), 'CREDENTIAL_UNREADABLE');
  });

  it('gives the same name twice in a workspace a 409, but the name is free in another workspace', async () => {
    await harness.service.createCredential(alice, 'team-a', { type: 'bearer-token', name: 'Stripe', data: { token: 'sk_test_aaaa' } });
    const before = await countRows('credentials');
    await expectAppError(
      harness.service.createCredential(alice, 'team-a', { type: 'bearer-token', name: 'Stripe', data: { token: 'sk_test_bbbb' } }),
      'CREDENTIAL_NAME_TAKEN',
    );
    expect(await countRows('credentials')).toBe(before);
    await harness.service.createCredential(bob, 'team-b', { type: 'bearer-token', name: 'Stripe', data: { token: 'sk_test_cccc' } });
  });

  it('makes one data key per workspace even when its first two credentials are created at once', async () => {
    const fresh = harness.directory.addWorkspace('team-fresh', { 'user-alice': 'owner' });
    await Promise.all(
      ['one', 'two', 'three'].map((name) =>
        harness.service.createCredential(alice, fresh.slug, { type: 'bearer-token', name, data: { token: `token-${name}-xyz` } }),
      ),
    );
    const keys = await queryRows(database.db, sql`SELECT 1 FROM workspace_keys WHERE workspace_id = ${fresh.id}`);
    expect(keys).toHaveLength(1);
    for (const row of await queryRows<{ id: string }>(database.db, sql`SELECT id FROM credentials WHERE workspace_id = ${fresh.id}`)) {
      await harness.run.loadCredentialForRun({ workspaceId: fresh.id, credentialId: row.id });
    }
  });
});

describe('bad input', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['api-key', { placement: 'cookie', key: 'k-123456' }, 'data.placement'],
    ['api-key', { name: 'X-Key' }, 'data.key'],
    ['basic-auth', { username: 'a:b', password: 'pw-123456' }, 'data.username'],
    ['bearer-token', { token: '' }, 'data.token'],
    ['bearer-token', { token: 'tok-123456', extra: 'leak-me-not' }, 'data'],
    ['oauth2-client-credentials', { tokenUrl: 'ftp://auth.example/token', clientId: 'c', clientSecret: 'cs-123456' }, 'data.tokenUrl'],
    ['hmac-secret', { algorithm: 'md5', secret: 'hmac-123456' }, 'data.algorithm'],
    ['smtp', { host: 'smtp.example.com', port: 70_000, from: 'a@example.com' }, 'data.port'],
    ['discord-bot-token', { applicationId: 'abc', publicKey: 'f'.repeat(64), token: 'a.b.c' }, 'data.applicationId'],
    ['generic-json', {}, 'data'],
  ];
  it.each(cases)('refuses invalid %s data with CREDENTIAL_DATA_INVALID and writes nothing', async (type, data, path) => {
    const before = await Promise.all([countRows('credentials'), countRows('workspace_keys'), countRows('audit_log')]);
    const error = await expectAppError(harness.service.createCredential(alice, 'team-a', { type, name: `bad ${type}`, data }), 'CREDENTIAL_DATA_INVALID');
    const details = error.details as { type: string; issues: { path: string }[] };
    expect(details.type).toBe(type);
    expect(details.issues.map((i) => i.path)).toContain(path);
    expect(JSON.stringify(error.details)).not.toMatch(/123456|leak-me-not/);
    expect(await Promise.all([countRows('credentials'), countRows('workspace_keys'), countRows('audit_log')])).toEqual(before);
  });

  it('refuses an unknown type with CREDENTIAL_TYPE_UNKNOWN', async () => {
    const error = await expectAppError(harness.service.createCredential(alice, 'team-a', { type: 'telepathy', name: 'x', data: { a: 1 } }), 'CREDENTIAL_TYPE_UNKNOWN');
    expect((error.details as { known: string[] }).known).toHaveLength(8);
  });
});

describe('loading for a run', () => {
  it('a credential of workspace A cannot be loaded for a run of workspace B', async () => {
    const view = await harness.service.createCredential(alice, 'team-a', { type: 'api-key', name: 'weather', data: { name: 'X-Api-Key', key: 'weather-key-777' } });
    await expectAppError(harness.run.loadCredentialForRun({ workspaceId: workspaceB.id, credentialId: view.id }), 'CREDENTIAL_NOT_FOUND');
    expect(await harness.run.checkCredentialReference(workspaceB.id, view.id, 'api-key')).toMatch(/does not exist in this workspace/);

    const loaded = await harness.run.loadCredentialForRun({ workspaceId: workspaceA.id, credentialId: view.id, expectedType: 'api-key' });
    expect(loaded.fields).toEqual({ placement: 'header', name: 'X-Api-Key', key: 'weather-key-777' });
    expect(loaded.secretValues).toContain('weather-key-777');
    const [row] = await queryRows<{ last_used_at: unknown }>(database.db, sql`SELECT last_used_at FROM credentials WHERE id = ${view.id}`);
    expect(row!.last_used_at).not.toBeNull();
  });

  it('refuses a credential of the wrong type, and the validator says why', async () => {
    const view = await harness.service.createCredential(alice, 'team-a', { type: 'hmac-secret', name: 'github hook', data: { secret: 'whsec-abcdef' } });
    await expectAppError(harness.run.loadCredentialForRun({ workspaceId: workspaceA.id, credentialId: view.id, expectedType: ['basic-auth', 'bearer-token'] }), 'CREDENTIAL_TYPE_MISMATCH');
    expect(await harness.run.checkCredentialReference(workspaceA.id, view.id, ['basic-auth', 'bearer-token'])).toBe(
      'Credential "github hook" is a hmac-secret credential; this node needs basic-auth or bearer-token',
    );
    expect(await harness.run.checkCredentialReference(workspaceA.id, view.id, 'hmac-secret')).toBeNull();
    expect(await harness.run.checkCredentialReference(workspaceA.id, 'not-a-uuid', 'hmac-secret')).toMatch(/does not exist/);
  });

  it('lists the Basic pair as a secret value so the encoded header is redacted too', async () => {
    const view = await harness.service.createCredential(alice, 'team-a', { type: 'basic-auth', name: 'pair', data: { username: 'ann', password: 'pa55word!' } });
    const loaded = await harness.run.loadCredentialForRun({ workspaceId: workspaceA.id, credentialId: view.id });
    expect(loaded.secretValues).toEqual(['pa55word!', 'ann:pa55word!']);
  });
});

describe('updates, deletion, audit and data rights', () => {
  it('replaces only the fields sent, removes a field sent as null, and audits names of fields only', async () => {
    const view = await harness.service.createCredential(alice, 'team-a', {
      type: 'smtp',
      name: 'mail',
      data: { host: 'smtp.example.com', port: 465, secure: true, user: 'mailer', password: 'old-smtp-pass', from: 'Ops <ops@example.com>' },
    });
    harness.clock.advance(1_000);
    const updated = await harness.service.updateCredential(alice, 'team-a', view.id, { name: 'mail (new)', data: { password: 'new-smtp-pass', user: null } });
    expect(updated).toMatchObject({ name: 'mail (new)', publicFields: { host: 'smtp.example.com', port: 465, secure: true, from: 'Ops <ops@example.com>' } });
    expect(updated.publicFields).not.toHaveProperty('user');
    const loaded = await harness.run.loadCredentialForRun({ workspaceId: workspaceA.id, credentialId: view.id });
    expect(loaded.fields.password).toBe('new-smtp-pass');

    const entries = await harness.audit.api.listAudit({ targetId: view.id }, 10);
    expect(entries.map((e) => e.action)).toEqual(['credentials.credential.updated', 'credentials.credential.created']);
    expect(entries[0]!.details).toEqual({ renamed: true, fields: ['password', 'user'] });
    expect(JSON.stringify(entries)).not.toMatch(/smtp-pass/);
  });

  it('a failed update changes nothing: invalid merged data leaves the stored secret in place', async () => {
    const view = await harness.service.createCredential(alice, 'team-a', { type: 'basic-auth', name: 'keep me', data: { username: 'u', password: 'keep-this-pass' } });
    await expectAppError(harness.service.updateCredential(alice, 'team-a', view.id, { data: { password: '' } }), 'CREDENTIAL_DATA_INVALID');
    expect((await harness.run.loadCredentialForRun({ workspaceId: workspaceA.id, credentialId: view.id })).fields.password).toBe('keep-this-pass');
    expect(await harness.audit.api.listAudit({ targetId: view.id, action: 'credentials.credential.updated' }, 10)).toHaveLength(0);
  });

  it('deletes within the workspace only, with an audit entry', async () => {
    const view = await harness.service.createCredential(alice, 'team-a', { type: 'bearer-token', name: 'to delete', data: { token: 'bye-bye-token' } });
    await expectAppError(harness.service.deleteCredential(bob, 'team-b', view.id), 'CREDENTIAL_NOT_FOUND');
    await harness.service.deleteCredential(alice, 'team-a', view.id);
    await expectAppError(harness.run.loadCredentialForRun({ workspaceId: workspaceA.id, credentialId: view.id }), 'CREDENTIAL_NOT_FOUND');
    const [entry] = await harness.audit.api.listAudit({ targetId: view.id, action: 'credentials.credential.deleted' }, 1);
    expect(entry).toMatchObject({ actorId: 'user-alice', workspaceId: workspaceA.id, details: { type: 'bearer-token', name: 'to delete' } });
  });

  it('exports a creator’s credential metadata without secrets and erases only the link to them', async () => {
    const carol = { principal: principalOf('user-carol') };
    const team = harness.directory.addWorkspace('team-c', { 'user-carol': 'admin' });
    const view = await harness.service.createCredential(carol, team.slug, { type: 'bearer-token', name: 'carol token', data: { token: 'carol-secret-token' } });
    const exported = await harness.module.dataRights.exportSubject({ userId: 'user-carol' });
    expect(exported.credentials).toEqual([expect.objectContaining({ id: view.id, name: 'carol token', workspaceId: team.id, createdBy: 'user-carol' })]);
    expect(JSON.stringify(exported)).not.toContain('carol-secret-token');

    await harness.module.dataRights.eraseSubject({ userId: 'user-carol' });
    expect(await harness.module.dataRights.exportSubject({ userId: 'user-carol' })).toEqual({ credentials: [] });
    const [row] = await queryRows<{ created_by: string | null }>(database.db, sql`SELECT created_by FROM credentials WHERE id = ${view.id}`);
    expect(row!.created_by).toBeNull();
    expect((await harness.run.loadCredentialForRun({ workspaceId: team.id, credentialId: view.id })).fields.token).toBe('carol-secret-token');
  });
});

describe('workspace deletion', () => {
  it('purges the credentials and the data key of a deleted workspace, once', async () => {
    const doomed = harness.directory.addWorkspace('team-doomed', { 'user-alice': 'owner' });
    const view = await harness.service.createCredential(alice, doomed.slug, { type: 'bearer-token', name: 'x', data: { token: 'doomed-token' } });
    const others = await countRows('credentials');
    expect(await harness.module.api.purgeWorkspaceCredentials(doomed.id)).toBe(1);
    expect(await harness.module.api.purgeWorkspaceCredentials(doomed.id)).toBe(0);
    await expectAppError(harness.run.loadCredentialForRun({ workspaceId: doomed.id, credentialId: view.id }), 'CREDENTIAL_NOT_FOUND');
    expect(await queryRows(database.db, sql`SELECT 1 FROM workspace_keys WHERE workspace_id = ${doomed.id}`)).toHaveLength(0);
    expect(await countRows('credentials')).toBe(others - 1);
  });
});

describe('privacy inventory', () => {
  it('classifies exactly the columns of both tables', async () => {
    const columns = await queryRows<{ table_name: string; column_name: string }>(
      database.db,
      sql`SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name IN ('credentials', 'workspace_keys') ORDER BY 1, 2`,
    );
    const declared = credentialsInventories.flatMap((t) => Object.keys(t.columns).map((c) => `${t.table}.${c}`)).sort();
    expect(columns.map((c) => `${c.table_name}.${c.column_name}`).sort()).toEqual(declared);
  });
});
