/**
 * Whether `error` (or one it wraps: drizzle wraps driver errors) is
 * PostgreSQL's unique_violation (23505) on `constraint`. Both pg and PGlite
 * report the constraint name.
 */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let current = error; current instanceof Error || isRecord(current); current = (current as { cause?: unknown }).cause) {
    const candidate = current as { code?: unknown; constraint?: unknown; message?: unknown };
    if (candidate.code === '23505') {
      return candidate.constraint === constraint || String(candidate.message).includes(constraint);
    }
    if (!('cause' in candidate)) break;
  }
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
