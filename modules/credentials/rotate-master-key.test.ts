import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import type { Keyring } from '@weft/kernel';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import { createMasterKeys, createTestCredentialsModule, createTestKeyring, principalOf } from './credentials-fixtures';

let database: TestDatabase;
const masterKeys = createMasterKeys(1, 2);
/** Plays the instance secrets file: what `loadKeyring()` reads right now. */
let secretsFile: Keyring;
const created: { workspaceId: string; credentialId: string; secret: string }[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  secretsFile = createTestKeyring({ 1: masterKeys[1]! });
  const { service, directory } = createTestCredentialsModule(database, { loadKeyring: () => secretsFile });
  for (const slug of ['rot-a', 'rot-b', 'rot-c']) {
    const workspace = directory.addWorkspace(slug, { 'user-owner': 'owner' });
    for (const n of [1, 2]) {
      const secret = `${slug}-secret-${n}`;
      const view = await service.createCredential({ principal: principalOf('user-owner') }, slug, { type: 'bearer-token', name: `token ${n}`, data: { token: secret } });
      created.push({ workspaceId: workspace.id, credentialId: view.id, secret });
    }
  }
});
afterAll(async () => {
  await database.close();
});

async function readCiphertexts(): Promise<Record<string, string>> {
  const rows = await queryRows<{ id: string; ciphertext: string }>(database.db, sql`SELECT id, ciphertext FROM credentials ORDER BY id`);
  return Object.fromEntries(rows.map((row) => [row.id, row.ciphertext]));
}

async function expectAllReadable(run: ReturnType<typeof createTestCredentialsModule>['run']) {
  for (const entry of created) {
    const loaded = await run.loadCredentialForRun({ workspaceId: entry.workspaceId, credentialId: entry.credentialId });
    expect(loaded.fields.token).toBe(entry.secret);
  }
}

describe('master key rotation', () => {
  it('re-wraps every data key under the new master key, keeps every credential readable, and leaves ciphertexts alone', async () => {
    // A server that loaded the keyring before the rotation, still running.
    let staleLoads = 0;
    const staleServer = createTestCredentialsModule(database, {
      loadKeyring: () => {
        staleLoads += 1;
        return secretsFile;
      },
    });
    const loadsAtStart = staleLoads;
    const ciphertextsBefore = await readCiphertexts();

    // `weft keys rotate`: a new master key version becomes current, then the data keys are re-wrapped.
    secretsFile = createTestKeyring({ 1: masterKeys[1]!, 2: masterKeys[2]! });
    const rotator = createTestCredentialsModule(database, { loadKeyring: () => secretsFile });
    const report = await rotator.keys.rotateMasterKey({ batchSize: 2 });
    expect(report).toEqual({ keyVersion: 2, rewrapped: 3, failed: [], remaining: 0, total: 3 });

    const versions = await queryRows<{ key_version: number; rotated_at: unknown }>(database.db, sql`SELECT key_version, rotated_at FROM workspace_keys`);
    expect(versions.map((v) => v.key_version)).toEqual([2, 2, 2]);
    expect(versions.every((v) => v.rotated_at !== null)).toBe(true);
    expect(await readCiphertexts()).toEqual(ciphertextsBefore);

    // The stale server meets version 2, re-reads the secrets once, and carries on.
    await expectAllReadable(staleServer.run);
    expect(staleLoads - loadsAtStart).toBe(1);

    // The old master key can now be retired: a keyring without version 1 reads everything.
    const withoutOldKey = createTestCredentialsModule(database, { loadKeyring: () => createTestKeyring({ 2: masterKeys[2]! }) });
    await expectAllReadable(withoutOldKey.run);

    const [entry] = await rotator.audit.api.listAudit({ action: 'credentials.master-key.rotated' }, 1);
    expect(entry).toMatchObject({ actorType: 'system', details: { keyVersion: 2, rewrapped: 3, failed: 0, remaining: 0 } });
  });

  it('does nothing on a second run', async () => {
    const rotator = createTestCredentialsModule(database, { loadKeyring: () => secretsFile });
    expect(await rotator.keys.rotateMasterKey()).toMatchObject({ keyVersion: 2, rewrapped: 0, remaining: 0, total: 3 });
  });

  it('reports a data key it cannot unwrap and still rotates the others', async () => {
    const orphan = '01900000-0000-7000-8000-00000000beef';
    await database.db.execute(sql`INSERT INTO workspace_keys (workspace_id, key_version, wrapped_key) VALUES (${orphan}, 1, 'v1.AAAA.AAAA.AAAA')`);
    const fresh = createTestCredentialsModule(database, { loadKeyring: () => secretsFile });
    const workspace = fresh.directory.addWorkspace('rot-d', { 'user-owner': 'owner' });
    // Made with the version-2 keyring; rotate to version 3 so this one is stale too.
    const view = await fresh.service.createCredential({ principal: principalOf('user-owner') }, 'rot-d', { type: 'bearer-token', name: 't', data: { token: 'rot-d-secret' } });
    const threeKeys = createMasterKeys(3);
    secretsFile = createTestKeyring({ 1: masterKeys[1]!, 2: masterKeys[2]!, 3: threeKeys[3]! });
    const report = await fresh.keys.rotateMasterKey();
    expect(report).toMatchObject({ keyVersion: 3, rewrapped: 4, failed: [orphan], remaining: 1, total: 5 });
    const latest = createTestCredentialsModule(database, { loadKeyring: () => createTestKeyring({ 3: threeKeys[3]! }) });
    expect((await latest.run.loadCredentialForRun({ workspaceId: workspace.id, credentialId: view.id })).fields.token).toBe('rot-d-secret');
    await expectAllReadable(latest.run);
  });
});
