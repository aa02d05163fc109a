import { z } from 'zod';
import { defineNode } from '../define-node';

/**
 * Names of the host's domain events a workflow can start on. The engine only
 * knows them as strings; modules/triggers delivers each one, to the
 * workspace the event concerns only (see its README for the mapping).
 */
export const APP_EVENT_NAMES = [
  'accounts.user.signed-up',
  'accounts.user.deactivated',
  'workspaces.member.removed',
  'workflows.version.published',
  'workflows.workflow.archived',
] as const;
export type AppEventName = (typeof APP_EVENT_NAMES)[number];

export const EventTriggerParams = z.object({
  event: z.enum(APP_EVENT_NAMES).describe('The app event that starts the workflow'),
  filter: z
    .string()
    .max(2000)
    .optional()
    .describe('Optional JSONata over the event payload; the workflow starts only when it is truthy, e.g. reason = "left"'),
});
export type EventTriggerParams = z.infer<typeof EventTriggerParams>;

/** What an event-started run starts with (the trigger's output). */
export interface EventTriggerOutput {
  event: AppEventName;
  /** The outbox event id: the same on every redelivery of the event. */
  eventId: string;
  /** The event's payload as written by the module that raised it (ids only, no secrets). */
  payload: unknown;
}

/** The host evaluates `filter` before starting a run, so a filtered-out event leaves no run behind. */
export const eventTriggerNode = defineNode({
  type: 'trigger.event',
  version: 1,
  name: 'App event',
  description: 'Starts the workflow when something happens in this workspace, e.g. a member is removed or a workflow is published.',
  kind: 'trigger',
  params: EventTriggerParams,
  ports: { inputs: [], outputs: ['main'] },
  rawParams: ['event', 'filter'],
  prepare(params, tools) {
    // Matched when the version is published, so it cannot depend on a run.
    if (String(params.event).includes('{{')) throw new Error('event must be chosen from the list, not an expression');
    if (params.filter !== undefined && params.filter.trim() !== '') tools.compileExpression(params.filter, 'filter');
    return undefined;
  },
  run: ({ input }) => ({ output: input }),
});
