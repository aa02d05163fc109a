import { Cron } from 'croner';

export type MissedFirePolicy = 'skip' | 'fire-once' | 'fire-all';

export interface CronSpec {
  cron: string;
  timezone: string;
}

/** croner reads the pattern in the zone, so "0 9 * * *" in Europe/Berlin follows daylight saving time. */
function openCron(spec: CronSpec): Cron {
  // No callback: croner computes times only and schedules no timer.
  return new Cron(spec.cron, { mode: '5-or-6-parts', timezone: spec.timezone });
}

/** The first tick strictly after `after`, or null when the pattern never fires again. */
export function findNextTick(spec: CronSpec, after: Date): Date | null {
  return openCron(spec).nextRun(after);
}

export interface FirePlanInput {
  spec: CronSpec;
  policy: MissedFirePolicy;
  /** The schedule's next unfired tick. */
  nextFireAt: Date;
  now: Date;
  /** A tick at most this late is on time and always fires (scheduler pauses, slow rounds). */
  graceMs: number;
  /** Most catch-up runs of `fire-all`. */
  maxCatchUp: number;
}

export interface FirePlan {
  /** Ticks to start a run for, oldest first. */
  ticks: Date[];
  /** Missed ticks that get no run under the policy (counted up to what was looked at). */
  skippedCount: number;
  /** The schedule's next unfired tick after this round; null when the pattern never fires again. */
  nextFireAt: Date | null;
}

/**
 * Decides which due ticks (`nextFireAt` ≤ tick ≤ `now`) fire. On-time ticks
 * (within `graceMs`) always do; older ones were missed during downtime:
 * `skip` fires none of them, `fire-once` the latest, `fire-all` the latest
 * `maxCatchUp`. Walks back from `now` so a month of downtime on a per-second
 * pattern costs `maxCatchUp` steps, not millions.
 */
export function planFires(input: FirePlanInput): FirePlan {
  const { spec, now, nextFireAt } = input;
  if (nextFireAt.getTime() > now.getTime()) return { ticks: [], skippedCount: 0, nextFireAt };
  const cron = openCron(spec);
  const onTimeBound = Math.ceil(input.graceMs / 1000) + 1;
  // previousRuns excludes its reference; ticks are whole seconds, so "before the next second" means "≤ now".
  const reference = new Date(Math.floor(now.getTime() / 1000) * 1000 + 1000);
  const recent = cron
    .previousRuns(input.maxCatchUp + onTimeBound, reference)
    .filter((tick) => tick.getTime() >= nextFireAt.getTime())
    .reverse();
  const lateBefore = now.getTime() - input.graceMs;
  const missed = recent.filter((tick) => tick.getTime() < lateBefore);
  const onTime = recent.filter((tick) => tick.getTime() >= lateBefore);
  let caughtUp: Date[] = [];
  if (input.policy === 'fire-once') caughtUp = missed.slice(-1);
  if (input.policy === 'fire-all') caughtUp = missed.slice(-input.maxCatchUp);
  return { ticks: [...caughtUp, ...onTime], skippedCount: missed.length - caughtUp.length, nextFireAt: cron.nextRun(now) };
}
