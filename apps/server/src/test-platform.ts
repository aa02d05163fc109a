import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, loadTestConfig } from '@weft/testing';
import { createPlatform, type Platform } from './platform';

/** A whole platform on a fresh test database and a throwaway data dir, for app.inject() tests. */
export async function createTestPlatform(env: Record<string, string> = {}): Promise<Platform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'weft-platform-'));
  const config = loadTestConfig({ WEFT_DATA_DIR: dataDir, ...env });
  const database = await createTestDatabase();
  return createPlatform({ config, database });
}
