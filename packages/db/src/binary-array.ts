import { toJsonbText } from './jsonb-param';

/**
 * Element types of a binary array parameter, with what each takes:
 * uuid and text a string, int4 an integer, float8 a number, bool a boolean,
 * timestamptz a Date, json and jsonb any JSON value. null and undefined are NULL
 * (a JSON null is the JSON value null).
 */
export type ArrayElementType = 'uuid' | 'text' | 'int4' | 'float8' | 'bool' | 'timestamptz' | 'json' | 'jsonb';

const ELEMENT_OIDS: Record<ArrayElementType, number> = {
  bool: 16,
  int4: 23,
  text: 25,
  json: 114,
  float8: 701,
  timestamptz: 1184,
  uuid: 2950,
  jsonb: 3802,
};
const FIXED_SIZES: Partial<Record<ArrayElementType, number>> = { bool: 1, int4: 4, float8: 8, timestamptz: 8, uuid: 16 };
const HEADER_BYTES = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** PostgreSQL counts time in microseconds from 2000-01-01 UTC. */
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_TO_32 = 2 ** 32;

/**
 * A one-dimensional array as a parameter in PostgreSQL's binary format, for
 * `unnest($1::uuid[], $2::jsonb[], …)` inserts of many rows at once.
 *
 * The database reads binary elements without parsing them (a uuid is 16
 * bytes, a timestamp 8), where a JSON document of rows costs a parse of the
 * whole document and a conversion of every field: on the embedded database
 * that was a third of the time of a batch insert. json and jsonb elements go as
 * JSON text, which the database parses once, as it must.
 *
 * Both drivers send a Buffer as a binary parameter; the statement must give
 * the parameter its array type (`$1::uuid[]`). Throws on a value the type
 * cannot hold rather than sending bytes the database would misread.
 * `isSerialized`: json and jsonb values are already JSON texts from
 * toJsonbText (a caller that serialises each value as it arrives, ahead of
 * the batch).
 */
export function binaryArrayParam(type: ArrayElementType, values: readonly unknown[], options: { isSerialized?: boolean } = {}): Buffer {
  const fixedSize = FIXED_SIZES[type];
  // Variable-length elements are serialised once, measured, then copied.
  const texts = fixedSize === undefined ? values.map((value) => toElementText(type, value, options.isSerialized === true)) : undefined;
  let size = HEADER_BYTES;
  let hasNull = false;
  for (let index = 0; index < values.length; index++) {
    const text = texts?.[index];
    const isNull = texts ? text === null : values[index] === null || values[index] === undefined;
    hasNull ||= isNull;
    size += 4 + (isNull ? 0 : (fixedSize ?? Buffer.byteLength(text!) + (type === 'jsonb' ? 1 : 0)));
  }
  const bytes = Buffer.allocUnsafe(size);
  bytes.writeInt32BE(1, 0); // dimensions
  bytes.writeInt32BE(hasNull ? 1 : 0, 4);
  bytes.writeInt32BE(ELEMENT_OIDS[type], 8);
  bytes.writeInt32BE(values.length, 12);
  bytes.writeInt32BE(1, 16); // lower bound
  let offset = HEADER_BYTES;
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (texts ? texts[index] === null : value === null || value === undefined) {
      offset = bytes.writeInt32BE(-1, offset);
    } else if (texts) {
      offset = writeText(bytes, offset, texts[index]!, type === 'jsonb');
    } else {
      offset = bytes.writeInt32BE(fixedSize!, offset);
      offset = writeFixed(bytes, offset, type, value);
    }
  }
  return bytes;
}

function toElementText(type: ArrayElementType, value: unknown, isSerialized: boolean): string | null {
  if ((type === 'json' || type === 'jsonb') && !isSerialized) return value === undefined ? null : toJsonbText(value);
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new TypeError(`A text array element must be a string, got ${typeof value}`);
  return value;
}

function writeText(bytes: Buffer, offset: number, text: string, isJsonb: boolean): number {
  const lengthAt = offset;
  offset += 4;
  if (isJsonb) offset = bytes.writeUInt8(1, offset); // jsonb's binary format: version 1, then the text
  const written = bytes.write(text, offset);
  bytes.writeInt32BE(written + (isJsonb ? 1 : 0), lengthAt);
  return offset + written;
}

function writeFixed(bytes: Buffer, offset: number, type: ArrayElementType, value: unknown): number {
  switch (type) {
    case 'uuid': {
      if (typeof value !== 'string' || !UUID.test(value)) throw new TypeError(`Not a uuid: ${String(value)}`);
      for (const [start, end] of UUID_GROUPS) offset += bytes.write(value.slice(start, end), offset, 'hex');
      return offset;
    }
    case 'int4':
      if (!Number.isInteger(value)) throw new TypeError(`An int4 array element must be an integer, got ${String(value)}`);
      return bytes.writeInt32BE(value as number, offset);
    case 'float8':
      if (typeof value !== 'number') throw new TypeError(`A float8 array element must be a number, got ${typeof value}`);
      return bytes.writeDoubleBE(value, offset);
    case 'bool':
      if (typeof value !== 'boolean') throw new TypeError(`A bool array element must be a boolean, got ${typeof value}`);
      return bytes.writeUInt8(value ? 1 : 0, offset);
    case 'timestamptz': {
      const ms = value instanceof Date ? value.getTime() : Number.NaN;
      if (!Number.isFinite(ms)) throw new TypeError(`A timestamptz array element must be a valid Date, got ${String(value)}`);
      // An int64 of microseconds. Within 285 years of 2000 it is exact as a double and goes as two
      // 32-bit halves; further out BigInt keeps it exact (and the database rejects what it cannot hold).
      const micros = (ms - POSTGRES_EPOCH_MS) * 1000;
      if (!Number.isSafeInteger(micros)) return bytes.writeBigInt64BE(BigInt(ms - POSTGRES_EPOCH_MS) * 1000n, offset);
      const high = Math.floor(micros / TWO_TO_32);
      bytes.writeInt32BE(high, offset);
      return bytes.writeUInt32BE(micros - high * TWO_TO_32, offset + 4);
    }
    default:
      throw new TypeError(`Not a fixed-size array element type: ${type}`);
  }
}

const UUID_GROUPS = [
  [0, 8],
  [9, 13],
  [14, 18],
  [19, 23],
  [24, 36],
] as const;
