import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addMasterKeyVersion, loadOrCreateSecrets } from './data-dir';

describe('instance secrets', () => {
  it('are generated on first boot with 0600 rights and kept across boots', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'weft-secrets-')), 'nested', 'data');
    const first = loadOrCreateSecrets(dir);
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    expect(first.masterKeys[1]).toHaveLength(32);
    const second = loadOrCreateSecrets(dir);
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect(second.masterKeys[1]!.equals(first.masterKeys[1]!)).toBe(true);
  });

  it('differ between two installations', () => {
    const a = loadOrCreateSecrets(mkdtempSync(join(tmpdir(), 'weft-a-')));
    const b = loadOrCreateSecrets(mkdtempSync(join(tmpdir(), 'weft-b-')));
    expect(a.sessionSecret).not.toBe(b.sessionSecret);
  });

  it('add a master key version without losing the old one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-rotate-'));
    const before = loadOrCreateSecrets(dir);
    const after = addMasterKeyVersion(dir);
    expect(after.currentMasterKeyVersion).toBe(2);
    expect(after.masterKeys[1]!.equals(before.masterKeys[1]!)).toBe(true);
    expect(statSync(after.path).mode & 0o777).toBe(0o600);
  });
});
