import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createCredentialsModule } from '@weft/credentials';
import { queryRows } from '@weft/db';
import { createDataKey, createKeyring, createManualClock, encryptWithKey, newId, type Keyring } from '@weft/kernel';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import { loadInstanceKeyring, rotateKeys } from './keys.commands';
import { MIGRATIONS_DIR } from './platform';

let database: TestDatabase;
let dataDir: string;
const stored: { workspaceId: string; credentialId: string; token: string }[] = [];

/** Credentials as an earlier server wrote them: data key wrapped under master key version 1. */
async function writeCredential(keyring: Keyring, token: string): Promise<void> {
  const workspaceId = newId();
  const credentialId = newId();
  const { dataKey, stored: wrapped } = createDataKey(keyring, `workspace-key:${workspaceId}`);
  const ciphertext = encryptWithKey(dataKey, JSON.stringify({ token }), `credential:${credentialId}`);
  await database.db.execute(sql`INSERT INTO workspace_keys (workspace_id, key_version, wrapped_key) VALUES (${workspaceId}, ${wrapped.keyVersion}, ${wrapped.wrapped})`);
  await database.db.execute(sql`INSERT INTO credentials (id, workspace_id, type, name, ciphertext) VALUES (${credentialId}, ${workspaceId}, 'bearer-token', 'api', ${ciphertext})`);
  stored.push({ workspaceId, credentialId, token });
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'weft-keys-'));
  const keyring = loadInstanceKeyring(dataDir); // creates secrets.json with version 1
  for (const token of ['token-one-1111', 'token-two-2222']) await writeCredential(keyring, token);
});
afterAll(async () => {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('weft keys rotate', () => {
  it('works on a data dir no server has started in yet: the first master key is made, then a second', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'weft-keys-fresh-'));
    const empty = await createTestDatabase();
    try {
      const lines: string[] = [];
      expect(await rotateKeys({ dataDir: fresh, migrationsDir: MIGRATIONS_DIR, database: empty, print: (l) => lines.push(l) })).toBe(0);
      expect(lines[0]).toContain('Added master key version 2');
      expect(JSON.parse(readFileSync(join(fresh, 'secrets.json'), 'utf8')).currentMasterKeyVersion).toBe(2);
    } finally {
      await empty.close();
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('adds a master key version, re-wraps every data key, and credentials read with the new version alone', async () => {
    const lines: string[] = [];
    const code = await rotateKeys({ dataDir, migrationsDir: MIGRATIONS_DIR, database, clock: createManualClock(new Date('2026-06-01T00:00:00Z')), print: (l) => lines.push(l) });
    expect(code).toBe(0);
    expect(lines.join('\n')).toContain('Re-wrapped 2 workspace data key(s); 2 in total, now under master key version 2.');

    const file = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8'));
    expect(file.currentMasterKeyVersion).toBe(2);
    expect(Object.keys(file.masterKeys)).toEqual(['1', '2']);
    const versions = await queryRows<{ key_version: number }>(database.db, sql`SELECT key_version FROM workspace_keys`);
    expect(versions.map((v) => v.key_version)).toEqual([2, 2]);

    const onlyNew = createKeyring({ 2: Buffer.from(file.masterKeys['2'], 'base64') }, 2);
    const credentials = createCredentialsModule({
      database,
      clock: createManualClock(new Date()),
      loadKeyring: () => onlyNew,
      requireWorkspaceAccess: async () => {
        throw new Error('not used by runs');
      },
      recordAudit: async () => undefined,
    });
    for (const entry of stored) {
      const loaded = await credentials.api.loadCredentialForRun({ workspaceId: entry.workspaceId, credentialId: entry.credentialId });
      expect(loaded.fields.token).toBe(entry.token);
    }
    const [audit] = await queryRows<{ details: unknown }>(database.db, sql`SELECT details FROM audit_log WHERE action = 'credentials.master-key.rotated'`);
    expect(audit!.details).toMatchObject({ keyVersion: 2, rewrapped: 2 });
  });

  it('with --rewrap-only adds no version and has nothing left to do', async () => {
    const lines: string[] = [];
    expect(await rotateKeys({ dataDir, migrationsDir: MIGRATIONS_DIR, database, rewrapOnly: true, print: (l) => lines.push(l) })).toBe(0);
    expect(lines).toEqual(['Re-wrapped 0 workspace data key(s); 2 in total, now under master key version 2.']);
    expect(JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).currentMasterKeyVersion).toBe(2);
  });
});
