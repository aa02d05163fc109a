import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournal } from './journal';

const dirs: string[] = [];
function journalDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'weft-journal-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const doc = (n: number) => JSON.stringify({ n, text: `document ${n} ✓` });

describe('journal', () => {
  it('gives back, after a crash, every document appended and not released, in order', () => {
    const dir = journalDir();
    const first = openJournal({ dir });
    const segment = first.append([doc(1), doc(2)]);
    first.append([doc(3)]);
    first.release(segment, 1);
    expect(first.unreleased).toBe(2);
    // No close(): the process died here.

    const next = openJournal({ dir });
    expect(next.readLeftovers()).toEqual([1, 2, 3].map((n) => JSON.parse(doc(n))));
    next.discardLeftovers();
    expect(openJournal({ dir }).readLeftovers()).toEqual([]);
  });

  it('empties the current segment once everything in it is released, and removes it on close', () => {
    const dir = journalDir();
    const journal = openJournal({ dir });
    const segment = journal.append([doc(1), doc(2)]);
    const file = join(dir, `${segment}.journal`);
    expect(statSync(file).size).toBeGreaterThan(0);
    journal.release(segment, 2);
    expect(statSync(file).size).toBe(0);
    expect(journal.unreleased).toBe(0);
    journal.append([doc(3)]);
    journal.release(segment, 1);
    journal.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('starts a new segment past its size and deletes an old one once it is released', () => {
    const dir = journalDir();
    const journal = openJournal({ dir, segmentBytes: 64 });
    const big = JSON.stringify({ padding: 'x'.repeat(80) });
    const first = journal.append([big]);
    const second = journal.append([doc(2)]);
    expect(second).toBe(first + 1);
    expect(readdirSync(dir).sort()).toEqual([`${first}.journal`, `${second}.journal`]);
    journal.release(first, 1);
    expect(readdirSync(dir)).toEqual([`${second}.journal`]);
    journal.close();
    // The second segment still holds an unreleased document: it stays for the next start.
    expect(openJournal({ dir }).readLeftovers()).toEqual([JSON.parse(doc(2))]);
  });

  it('keeps a segment whose documents the database refused, for the next start', () => {
    const dir = journalDir();
    const journal = openJournal({ dir });
    const segment = journal.append([doc(1)]);
    journal.release(segment, 1, false);
    expect(journal.unreleased).toBe(0);
    journal.close();
    expect(openJournal({ dir }).readLeftovers()).toEqual([JSON.parse(doc(1))]);
  });

  it('ends a file at a frame cut short or failing its checksum', () => {
    const dir = journalDir();
    const journal = openJournal({ dir });
    const segment = journal.append([doc(1)]);
    journal.append([doc(2)]);
    const file = join(dir, `${segment}.journal`);
    const whole = readFileSync(file);
    // A torn third frame: its header promises more than the file holds.
    appendFileSync(file, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 0x5b]));
    expect(openJournal({ dir }).readLeftovers()).toEqual([1, 2].map((n) => JSON.parse(doc(n))));

    const corrupt = Buffer.from(whole);
    const inside = corrupt.length - 3; // inside the second frame's payload
    corrupt[inside] = corrupt[inside]! ^ 0xff;
    writeFileSync(file, corrupt);
    expect(openJournal({ dir }).readLeftovers()).toEqual([JSON.parse(doc(1))]);
  });

  it('never writes new documents into a leftover segment, so discarding leftovers keeps them', () => {
    const dir = journalDir();
    openJournal({ dir }).append([doc(1)]);
    const next = openJournal({ dir });
    next.append([doc(2)]);
    expect(next.readLeftovers()).toEqual([JSON.parse(doc(1))]);
    next.discardLeftovers();
    expect(openJournal({ dir }).readLeftovers()).toEqual([JSON.parse(doc(2))]);
  });
});
