import { randomFillSync } from 'node:crypto';

let lastMillis = 0;
let sequence = 0;

/**
 * Random bytes are drawn from the CSPRNG 4 KiB at a time: one small
 * `randomBytes` call per id cost ~10 % of a webhook request's CPU.
 */
const POOL_SIZE = 4096;
/** An id takes 10 random bytes: 2 seed a new millisecond's counter, 8 fill `rand_b`. */
const RANDOM_BYTES_PER_ID = 10;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

/** Offset of the next id's random bytes in `pool`; bytes handed out are never handed out twice. */
function takeRandom(): number {
  if (poolOffset + RANDOM_BYTES_PER_ID > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const offset = poolOffset;
  poolOffset += RANDOM_BYTES_PER_ID;
  return offset;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const TWO_POW_24 = 0x1000000;

/**
 * UUIDv7 (RFC 9562 §5.7): 48-bit Unix milliseconds, then random bits. Ids made
 * in the same millisecond by this process keep their order through a 12-bit
 * counter in `rand_a` (method 1 of §6.2), so ids sort by creation time.
 *
 * The text is assembled from a byte→hex table: two ids per webhook request,
 * and a Buffer, its hex string and five slices per id cost three times as much.
 */
export function newId(now: number = Date.now()): string {
  const r = takeRandom();
  if (now <= lastMillis) {
    sequence = (sequence + 1) & 0xfff;
    if (sequence === 0) lastMillis += 1; // counter overflow: borrow the next millisecond
    now = lastMillis;
  } else {
    lastMillis = now;
    // A new millisecond starts its counter at a random point, leaving room to count up.
    sequence = ((pool[r]! << 8) | pool[r + 1]!) & 0x3ff;
  }
  // 48 bits do not fit JavaScript's 32-bit operators: two 24-bit halves.
  const high = Math.floor(now / TWO_POW_24);
  const low = now % TWO_POW_24;
  return (
    HEX[(high >>> 16) & 0xff]! +
    HEX[(high >>> 8) & 0xff]! +
    HEX[high & 0xff]! +
    HEX[low >>> 16]! +
    '-' +
    HEX[(low >>> 8) & 0xff]! +
    HEX[low & 0xff]! +
    '-' +
    HEX[0x70 | (sequence >> 8)]! +
    HEX[sequence & 0xff]! +
    '-' +
    HEX[0x80 | (pool[r + 2]! & 0x3f)]! +
    HEX[pool[r + 3]!]! +
    '-' +
    HEX[pool[r + 4]!]! +
    HEX[pool[r + 5]!]! +
    HEX[pool[r + 6]!]! +
    HEX[pool[r + 7]!]! +
    HEX[pool[r + 8]!]! +
    HEX[pool[r + 9]!]!
  );
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
