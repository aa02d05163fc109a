import { Cron } from 'croner';
import { z } from 'zod';
import { defineNode } from '../define-node';

/** What a schedule does with ticks it missed while no scheduler was running (downtime). */
export const MISSED_FIRE_POLICIES = ['skip', 'fire-once', 'fire-all'] as const;
export type MissedFirePolicy = (typeof MISSED_FIRE_POLICIES)[number];

/** Returns why `pattern` is not a 5- or 6-field cron pattern croner can run, or null when it is. */
export function findCronProblem(pattern: string): string | null {
  try {
    // No callback: croner only parses, it schedules no timer.
    new Cron(pattern, { mode: '5-or-6-parts' });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
  }
}

/** True for an IANA time zone name this runtime knows (Europe/Berlin, America/New_York, UTC). */
export function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const CronPattern = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .superRefine((pattern, context) => {
    const problem = findCronProblem(pattern);
    if (problem !== null) context.addIssue({ code: 'custom', message: `Invalid cron pattern "${pattern}": ${problem}` });
  });

export const ScheduleTriggerParams = z.object({
  cron: CronPattern.describe(
    'Cron pattern: 5 fields (minute hour day month weekday) or 6 with seconds first, e.g. "0 9 * * 1-5" for 09:00 on weekdays',
  ),
  timezone: z
    .string()
    .min(1)
    .max(100)
    .superRefine((name, context) => {
      if (!isKnownTimeZone(name)) context.addIssue({ code: 'custom', message: `Unknown time zone "${name}"; use an IANA name such as Europe/Berlin or UTC` });
    })
    .default('UTC')
    .describe('IANA time zone the pattern is read in; daylight saving time is followed'),
  missedFirePolicy: z
    .enum(MISSED_FIRE_POLICIES)
    .default('fire-once')
    .describe('Ticks missed while Weft was down: skip them, fire-once for the latest, or fire-all (at most 100)'),
});
export type ScheduleTriggerParams = z.infer<typeof ScheduleTriggerParams>;

/** What a scheduled run starts with (the trigger's output). */
export interface ScheduleTriggerOutput {
  /** The tick this run is for (ISO 8601, UTC); for a catch-up run, the missed tick. */
  scheduledAt: string;
  /** When the scheduler started the run. */
  firedAt: string;
  timezone: string;
}

/**
 * The host (modules/triggers) keeps one schedule per published node and
 * starts a run for each tick with `ScheduleTriggerOutput` as the input.
 */
export const scheduleTriggerNode = defineNode({
  type: 'trigger.schedule',
  version: 1,
  name: 'Schedule',
  description: 'Starts the workflow on a cron schedule in a time zone, once per tick across all workers.',
  kind: 'trigger',
  params: ScheduleTriggerParams,
  ports: { inputs: [], outputs: ['main'] },
  rawParams: ['cron', 'timezone', 'missedFirePolicy'],
  // The schedule is stored when the version is published, so a value only known per run cannot work.
  prepare(params) {
    for (const name of ['cron', 'timezone', 'missedFirePolicy'] as const) {
      if (String(params[name] ?? '').includes('{{')) throw new Error(`${name} must be written out, not an expression: a schedule is fixed at publish time`);
    }
    return undefined;
  },
  run: ({ input }) => ({ output: input }),
});
