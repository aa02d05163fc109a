/**
 * Per-user cooldowns of commands, in this process's memory: a cooldown is a
 * courtesy limit, not a security boundary, and keeping it off the database
 * keeps the interaction path free of writes. With several server processes
 * each enforces its own window.
 */
export function createCooldowns(maxEntries = 100_000) {
  const expiries = new Map<string, number>();

  function prune(nowMs: number): void {
    for (const [key, expiresAt] of expiries) if (expiresAt <= nowMs) expiries.delete(key);
    // Still full of live entries: drop the oldest rather than grow without bound.
    while (expiries.size >= maxEntries) expiries.delete(expiries.keys().next().value!);
  }

  return {
    /** Starts the cooldown and returns 0, or returns the seconds left when it is still running. */
    take(key: string, seconds: number, nowMs: number): number {
      if (seconds <= 0) return 0;
      const expiresAt = expiries.get(key);
      if (expiresAt !== undefined && expiresAt > nowMs) return Math.ceil((expiresAt - nowMs) / 1000);
      if (expiries.size >= maxEntries) prune(nowMs);
      expiries.delete(key);
      expiries.set(key, nowMs + seconds * 1000);
      return 0;
    },
  };
}

export type Cooldowns = ReturnType<typeof createCooldowns>;
