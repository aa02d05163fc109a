import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * Secrets are generated on first boot and kept in the data dir with 0600
 * rights; there is no constant default anywhere, so two installations never
 * share a key.
 */
const SecretsFile = z.object({
  masterKeys: z.record(z.string().regex(/^\d+$/), z.string()),
  currentMasterKeyVersion: z.number().int().positive(),
  sessionSecret: z.string().min(32),
  createdAt: z.string(),
});
type SecretsFile = z.infer<typeof SecretsFile>;

export interface InstanceSecrets {
  masterKeys: Record<number, Buffer>;
  currentMasterKeyVersion: number;
  sessionSecret: string;
  path: string;
}

export function ensureDataDir(dataDir: string): string {
  const absolute = resolve(dataDir);
  mkdirSync(absolute, { recursive: true, mode: 0o700 });
  return absolute;
}

export function loadOrCreateSecrets(dataDir: string): InstanceSecrets {
  const path = join(ensureDataDir(dataDir), 'secrets.json');
  if (!existsSync(path)) {
    const fresh: SecretsFile = {
      masterKeys: { '1': randomBytes(32).toString('base64') },
      currentMasterKeyVersion: 1,
      sessionSecret: randomBytes(32).toString('base64url'),
      createdAt: new Date().toISOString(),
    };
    writeSecrets(path, fresh);
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600); // repair loose rights
  const parsed = SecretsFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a valid Weft secrets file: ${parsed.error.message}`);
  return toInstanceSecrets(parsed.data, path);
}

/** Adds a new master key version and makes it current; old versions stay so old data can be unwrapped. */
export function addMasterKeyVersion(dataDir: string): InstanceSecrets {
  const path = join(ensureDataDir(dataDir), 'secrets.json');
  const current = SecretsFile.parse(JSON.parse(readFileSync(path, 'utf8')));
  const next = Math.max(...Object.keys(current.masterKeys).map(Number)) + 1;
  const updated: SecretsFile = {
    ...current,
    masterKeys: { ...current.masterKeys, [String(next)]: randomBytes(32).toString('base64') },
    currentMasterKeyVersion: next,
  };
  writeSecrets(path, updated);
  return toInstanceSecrets(updated, path);
}

function writeSecrets(path: string, secrets: SecretsFile): void {
  writeFileSync(path, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
}

function toInstanceSecrets(file: SecretsFile, path: string): InstanceSecrets {
  return {
    masterKeys: Object.fromEntries(
      Object.entries(file.masterKeys).map(([v, k]) => [Number(v), Buffer.from(k, 'base64')]),
    ),
    currentMasterKeyVersion: file.currentMasterKeyVersion,
    sessionSecret: file.sessionSecret,
    path,
  };
}
