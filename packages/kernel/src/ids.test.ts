import { describe, expect, it } from 'vitest';
import { isUuid, newId } from './ids';

/** The 48-bit millisecond timestamp at the front of a UUIDv7. */
function millisOf(id: string): number {
  return Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

describe('newId', () => {
  it('makes RFC 9562 version 7 UUIDs carrying the given time', () => {
    const now = Date.UTC(2026, 10, 27, 12, 34, 56, 789);
    const id = newId(now + 1_000_000);
    expect(isUuid(id)).toBe(true);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(millisOf(id)).toBe(now + 1_000_000);
  });

  it('keeps ids made in the same millisecond in creation order, and unique', () => {
    const now = Date.now() + 10_000_000;
    const ids = Array.from({ length: 3_000 }, () => newId(now));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never goes back in time when the clock does', () => {
    const later = Date.now() + 20_000_000;
    const first = newId(later);
    const second = newId(later - 5_000);
    expect(second > first).toBe(true);
    expect(millisOf(second)).toBeGreaterThanOrEqual(later);
  });

  it('borrows the next millisecond when 4,096 ids share one', () => {
    const now = Date.now() + 30_000_000;
    const ids = Array.from({ length: 5_000 }, () => newId(now));
    expect([...ids].sort()).toEqual(ids);
    expect(millisOf(ids.at(-1)!)).toBeGreaterThan(now);
  });

  it('draws its random part afresh: 200,000 ids (many pool refills) never repeat', () => {
    const ids = new Set<string>();
    for (let index = 0; index < 200_000; index++) ids.add(newId());
    expect(ids.size).toBe(200_000);
    const randomParts = new Set([...ids].map((id) => id.slice(19)));
    expect(randomParts.size).toBe(200_000);
  });

  it('encodes every bit of the timestamp, high and low halves alike', () => {
    // Last: later than any id made before it (so taken as given), and every id made after it would borrow this time.
    const now = 0xfffffe_fffffe;
    expect(newId(now).slice(0, 13)).toBe('fffffeff-fffe');
  });
});
