import { describe, expect, it } from 'vitest';
import { createManualClock } from '@weft/kernel';
import { createSnowflakeGenerator, readSnowflakeTime } from './snowflake';

describe('snowflakes', () => {
  it('encode the creation time and increase even when the clock stands still', () => {
    const clock = createManualClock(new Date('2026-03-01T12:00:00Z'));
    const next = createSnowflakeGenerator(clock);
    const ids = Array.from({ length: 5000 }, next);
    expect(readSnowflakeTime(ids[0]!).toISOString()).toBe('2026-03-01T12:00:00.000Z');
    for (let index = 1; index < ids.length; index += 1) expect(BigInt(ids[index]!) > BigInt(ids[index - 1]!)).toBe(true);
  });
});
