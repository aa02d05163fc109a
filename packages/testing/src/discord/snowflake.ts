import type { Clock } from '@weft/kernel';

/** Discord's epoch, the first millisecond of 2015 (Reference › Snowflakes). */
export const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/**
 * Makes ids the way Discord does (Reference › Snowflakes): milliseconds since
 * the Discord epoch in the top 42 bits, then a 5-bit worker id, a 5-bit process
 * id and a 12-bit increment. Ids are strings on the wire because they overflow
 * a JavaScript number. Ids from one generator increase strictly, so sorting by
 * id sorts by creation, as clients paginating with `before`/`after` expect.
 */
export function createSnowflakeGenerator(clock: Clock, workerId = 1, processId = 0): () => string {
  let lastTimestamp = -1n;
  let increment = 0n;
  return () => {
    let timestamp = BigInt(clock.now().getTime()) - DISCORD_EPOCH_MS;
    if (timestamp <= lastTimestamp) {
      increment = (increment + 1n) & 0xfffn;
      // A frozen test clock or 4096 ids in one millisecond: borrow the next millisecond.
      timestamp = increment === 0n ? lastTimestamp + 1n : lastTimestamp;
    } else {
      increment = 0n;
    }
    lastTimestamp = timestamp;
    const id = (timestamp << 22n) | (BigInt(workerId & 0x1f) << 17n) | (BigInt(processId & 0x1f) << 12n) | increment;
    return id.toString();
  };
}

/** The creation time encoded in a snowflake. */
export function readSnowflakeTime(id: string): Date {
  return new Date(Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS));
}
