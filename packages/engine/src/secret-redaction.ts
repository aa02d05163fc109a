import type { StepRecord } from './run-store';

/**
 * A credential loader may list which of the loaded values are secret under
 * this key (a symbol: never serialized, never seen by a node iterating the
 * fields). The run then removes those values from every step it stores.
 */
export const CREDENTIAL_SECRETS = Symbol.for('weft.credential-secrets');

export const REDACTED_MARK = '[redacted]';

/** Shorter values would redact ordinary words; no real secret is this short. */
const MIN_SECRET_LENGTH = 4;

export function readCredentialSecrets(fields: Record<string, unknown>): string[] {
  const listed = (fields as { [CREDENTIAL_SECRETS]?: unknown })[CREDENTIAL_SECRETS];
  return Array.isArray(listed) ? listed.filter((value): value is string => typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) : [];
}

function redactText(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (result.includes(secret)) result = result.split(secret).join(REDACTED_MARK);
  return result;
}

/** A copy of `value` with every occurrence of a secret replaced, in strings and object keys; `value` itself when none occurs. */
export function redactValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets));
  if (value instanceof Date) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[redactText(key, secrets)] = redactValue(item, secrets);
  return copy;
}

/** The stored copy of a step: output, error and failed input without the run's secrets. */
export function redactStepRecord(record: StepRecord, secrets: readonly string[]): StepRecord {
  if (secrets.length === 0) return record;
  const redacted: { -readonly [K in keyof StepRecord]: StepRecord[K] } = { ...record };
  if (record.output !== undefined) redacted.output = redactValue(record.output, secrets);
  if (record.error !== undefined) redacted.error = redactValue(record.error, secrets) as StepRecord['error'];
  if (record.input !== undefined) redacted.input = redactValue(record.input, secrets);
  return redacted;
}
