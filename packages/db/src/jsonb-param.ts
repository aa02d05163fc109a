/**
 * JSON text for a jsonb parameter. PostgreSQL's jsonb cannot hold U+0000 in
 * a string, and one such value would fail its write on every retry (a run's
 * checkpoint): it becomes U+FFFD. Only a real escape is replaced, not an
 * escaped backslash followed by "u0000".
 */
export function toJsonbText(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.includes('\\u0000') ? text.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd') : text;
}

/**
 * A JSON value as a jsonb parameter in PostgreSQL's binary format (a version
 * byte, 1, then the JSON text), for large documents on hot write paths.
 *
 * Sent as text, PGlite measures and copies a parameter one UTF-16 code unit at
 * a time in JavaScript, which cost about a tenth of the database time of a
 * webhook run that saves every run; a Buffer is copied whole. Both drivers send
 * a Buffer in binary format: `pg` always, the embedded database's thread
 * because its jsonb serializer lets bytes through (embedded-thread-worker.ts).
 * Use it where the statement types the parameter as jsonb
 * (`${jsonbParam(value)}::jsonb`), or as a prepared statement's parameter.
 */
export function jsonbParam(value: unknown): Buffer {
  const json = toJsonbText(value);
  const bytes = Buffer.allocUnsafe(Buffer.byteLength(json) + 1);
  bytes[0] = JSONB_BINARY_VERSION;
  bytes.write(json, 1);
  return bytes;
}

const JSONB_BINARY_VERSION = 1;
