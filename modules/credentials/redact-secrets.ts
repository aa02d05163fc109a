export const REDACTED = '[redacted]';

/**
 * Secret values shorter than this are not collected from credential fields:
 * blanking every "abc" in a run log would destroy the log, and a secret that
 * short protects nothing anyway. `redactSecrets` itself redacts what it is given.
 */
const MIN_COLLECTED_LENGTH = 4;

/**
 * The spellings a secret takes on its way out: as is, JSON-escaped, URL- and
 * form-encoded, base64 and base64url (padded or not) — a Basic header or a
 * query string must not smuggle it past the redaction.
 */
function listSpellings(secret: string): string[] {
  const base64 = Buffer.from(secret, 'utf8').toString('base64');
  const spellings = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(secret, 'utf8').toString('base64url'),
  ];
  return [...new Set(spellings)].filter((s) => s.length > 0);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One pattern for all secrets, longest spelling first so a longer secret is never half-replaced by a shorter one. */
function compilePattern(secrets: readonly string[]): RegExp | null {
  const spellings = [...new Set(secrets.filter((s) => s.length > 0).flatMap(listSpellings))].sort((a, b) => b.length - a.length);
  return spellings.length ? new RegExp(spellings.map(escapeRegExp).join('|'), 'g') : null;
}

/**
 * Replaces every secret value, and its encoded spellings, with `[redacted]`
 * in a string or in the strings of a JSON-like value (arrays and plain
 * objects, keys included). For run logs, step outputs and error messages.
 * Other objects (Buffers, Dates, class instances) are returned as they are.
 */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  const pattern = compilePattern(secrets);
  if (!pattern) return value;
  const redactValue = (input: unknown): unknown => {
    if (typeof input === 'string') return input.replace(pattern, REDACTED);
    if (Array.isArray(input)) return input.map(redactValue);
    if (input !== null && typeof input === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(input))) {
      return Object.fromEntries(Object.entries(input).map(([key, inner]) => [redactValue(key), redactValue(inner)]));
    }
    return input;
  };
  return redactValue(value) as T;
}

/**
 * Every secret string of a credential's secret fields (nested ones too),
 * plus values derived from them that travel on the wire as a whole: the
 * `user:password` pair of Basic authentication is base64-encoded together,
 * so the password alone would not match inside the header.
 */
export function listSecretValues(type: string, publicFields: Record<string, unknown>, secretFields: Record<string, unknown>): string[] {
  const values = new Set<string>();
  const collect = (input: unknown): void => {
    if (typeof input === 'string' && input.length >= MIN_COLLECTED_LENGTH) values.add(input);
    else if (typeof input === 'number' && String(input).length >= MIN_COLLECTED_LENGTH) values.add(String(input));
    else if (Array.isArray(input)) input.forEach(collect);
    else if (input !== null && typeof input === 'object') Object.values(input).forEach(collect);
  };
  collect(secretFields);
  if (type === 'basic-auth' && typeof secretFields.password === 'string') values.add(`${String(publicFields.username)}:${secretFields.password}`);
  if (type === 'smtp' && typeof secretFields.password === 'string' && typeof publicFields.user === 'string') {
    values.add(`\u0000${publicFields.user}\u0000${secretFields.password}`); // SASL PLAIN (RFC 4616), base64 on the wire
  }
  return [...values];
}
