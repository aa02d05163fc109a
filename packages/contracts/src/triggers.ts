import { z } from 'zod';
import { IsoDate } from './common';

/** What happens to ticks missed while Weft was down: modules/triggers stores the same values (its route test checks). */
export const MISSED_FIRE_POLICIES = ['skip', 'fire-once', 'fire-all'] as const;
export const MissedFirePolicy = z.enum(MISSED_FIRE_POLICIES);
export type MissedFirePolicy = z.output<typeof MissedFirePolicy>;

/** A schedule trigger of a published workflow version; `nextFireAt` is the next tick not yet fired (UTC). */
export const ScheduleView = z.object({
  id: z.string(),
  workflowId: z.string(),
  versionId: z.string(),
  nodeId: z.string(),
  cron: z.string(),
  timezone: z.string(),
  missedFirePolicy: MissedFirePolicy,
  nextFireAt: IsoDate,
  lastFiredAt: IsoDate.nullable(),
  lastRunId: z.string().nullable(),
});
export type ScheduleView = z.output<typeof ScheduleView>;

export const ScheduleList = z.object({ items: z.array(ScheduleView) });
export type ScheduleList = z.output<typeof ScheduleList>;
