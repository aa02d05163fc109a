import { createAuditModule } from '@weft/audit';
import { createMasterKeyRotation } from '@weft/credentials';
import { applyMigrations, openDatabase, type Database } from '@weft/db';
import { addMasterKeyVersion, createKeyring, hmacSha256, loadOrCreateSecrets, systemClock, type Clock, type Keyring } from '@weft/kernel';

/**
 * The master keyring as the secrets file holds it now. Read again after a
 * rotation, so the server and the CLI share this one reader.
 */
export function loadInstanceKeyring(dataDir: string): Keyring {
  const secrets = loadOrCreateSecrets(dataDir);
  return createKeyring(secrets.masterKeys, secrets.currentMasterKeyVersion);
}

export interface RotateKeysOptions {
  dataDir: string;
  databaseUrl?: string;
  /** Applied first, as at server start (passed in so this file does not import the platform). */
  migrationsDir: string;
  /** An open database (tests); otherwise one is opened from dataDir/databaseUrl and closed at the end. */
  database?: Database;
  clock?: Clock;
  /** Re-wrap under the current version without adding one (finishing an interrupted rotation). */
  rewrapOnly?: boolean;
  print: (line: string) => void;
}

/**
 * `weft keys rotate`: adds a master key version to the secrets file, makes it
 * current, then re-wraps every workspace data key under it. Servers keep
 * running: they read both versions and pick up the new one on first sight.
 * Old versions stay in the file; with several machines, copy the updated
 * secrets file to each of them before rotating. Returns the exit code.
 */
export async function rotateKeys(options: RotateKeysOptions): Promise<number> {
  const { dataDir, print } = options;
  const clock = options.clock ?? systemClock;
  // A data dir no server has started in yet has no secrets file: made first, as a start would.
  const current = loadOrCreateSecrets(dataDir);
  const secrets = options.rewrapOnly ? current : addMasterKeyVersion(dataDir);
  if (!options.rewrapOnly) print(`Added master key version ${secrets.currentMasterKeyVersion} to ${secrets.path}.`);
  const database = options.database ?? (await openDatabase({ databaseUrl: options.databaseUrl, dataDir }));
  try {
    await applyMigrations(database, options.migrationsDir);
    // Same derivation as the platform's audit module, so the CLI's entries hash like the server's.
    const audit = createAuditModule({ database, clock, ipHashKey: hmacSha256(secrets.sessionSecret, 'ip-hash').toString('hex') });
    const rotation = createMasterKeyRotation({ database, clock, recordAudit: audit.api.recordAudit, loadKeyring: () => loadInstanceKeyring(dataDir) });
    const report = await rotation.rotateMasterKey();
    print(`Re-wrapped ${report.rewrapped} workspace data key(s); ${report.total} in total, now under master key version ${report.keyVersion}.`);
    if (report.failed.length > 0) {
      print(`Could not re-wrap ${report.failed.length} data key(s) (workspaces ${report.failed.join(', ')}): their master key version is missing or the row is damaged.`);
    }
    // Keys made meanwhile by a server that had not yet seen the new version.
    const stragglers = report.remaining - report.failed.length;
    if (stragglers > 0) print(`${stragglers} data key(s) are still under an older version; run "weft keys rotate --rewrap-only" to finish.`);
    return report.failed.length > 0 || report.remaining > 0 ? 1 : 0;
  } finally {
    if (!options.database) await database.close();
  }
}
