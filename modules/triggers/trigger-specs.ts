import { WorkflowGraph, type NodeRegistry } from '@weft/engine';
import type { MissedFirePolicy } from './cron-ticks';

/** Node types this module keeps rows for (packages/engine/src/nodes/{schedule,event}-trigger.node.ts). */
export const SCHEDULE_NODE_TYPE = 'trigger.schedule';
export const EVENT_NODE_TYPE = 'trigger.event';

export interface ScheduleSpec {
  nodeId: string;
  cron: string;
  timezone: string;
  missedFirePolicy: MissedFirePolicy;
}

export interface EventTriggerSpec {
  nodeId: string;
  event: string;
  filter: string | null;
}

export interface TriggerSpecs {
  schedules: ScheduleSpec[];
  events: EventTriggerSpec[];
}

/**
 * Reads the schedule and event trigger nodes of a published graph, with the
 * params parsed by the node's own schema (defaults applied). The graph passed
 * the validator at publish time; a node that no longer parses (an older node
 * version removed from the registry) is left out rather than guessed.
 */
export function extractTriggerSpecs(graph: unknown, registry: NodeRegistry): TriggerSpecs {
  const specs: TriggerSpecs = { schedules: [], events: [] };
  const parsed = WorkflowGraph.safeParse(graph);
  if (!parsed.success) return specs;
  for (const node of parsed.data.nodes) {
    if (node.disabled || (node.type !== SCHEDULE_NODE_TYPE && node.type !== EVENT_NODE_TYPE)) continue;
    const params = registry.get(node.type, node.version)?.params.safeParse(node.params);
    if (!params?.success) continue;
    if (node.type === SCHEDULE_NODE_TYPE) {
      const { cron, timezone, missedFirePolicy } = params.data as Omit<ScheduleSpec, 'nodeId'>;
      specs.schedules.push({ nodeId: node.id, cron, timezone, missedFirePolicy });
    } else {
      const { event, filter } = params.data as { event: string; filter?: string };
      specs.events.push({ nodeId: node.id, event, filter: filter?.trim() ? filter : null });
    }
  }
  return specs;
}
