/**
 * Whether `error` (or one of its causes) is PostgreSQL's unique violation
 * (23505) on the named constraint or index. A unique index is the arbiter of
 * concurrent creates: the service turns this into its own 409.
 * The name is matched in the message too: PGlite's errors may not carry it as `constraint`.
 */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let cause = error as { code?: string; constraint?: string; message?: string; cause?: unknown } | undefined; cause; cause = cause.cause as typeof cause) {
    if (cause.code === '23505' && (cause.constraint === constraint || cause.message?.includes(constraint))) return true;
  }
  return false;
}
