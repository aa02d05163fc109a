import { createNodeRegistry, type NodeRegistry } from '../define-node';
import { conditionNode } from './condition.node';
import { manualTriggerNode } from './manual-trigger.node';
import { respondNode } from './respond.node';
import { transformNode } from './transform.node';
import { webhookTriggerNode } from './webhook-trigger.node';

export const coreNodes = [manualTriggerNode, webhookTriggerNode, transformNode, conditionNode, respondNode] as const;

/** The built-in nodes; hosts add integrations with `createNodeRegistry([...coreNodes, ...more])`. */
export function createCoreNodeRegistry(): NodeRegistry {
  return createNodeRegistry(coreNodes);
}
