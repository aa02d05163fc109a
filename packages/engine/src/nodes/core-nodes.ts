import { createNodeRegistry, type NodeRegistry } from '../define-node';
import { codeNode } from './code.node';
import { conditionNode } from './condition.node';
import { delayNode } from './delay.node';
import { discordCommandTriggerNode } from './discord-command-trigger.node';
import { discordEventTriggerNode, discordNodes } from './discord/discord-nodes';
import { emailSendNode } from './email-send.node';
import { eventTriggerNode } from './event-trigger.node';
import { httpRequestNode } from './http-request.node';
import { loopItemsNode } from './loop-items.node';
import { manualTriggerNode } from './manual-trigger.node';
import { mergeNode } from './merge.node';
import { respondNode } from './respond.node';
import { scheduleTriggerNode } from './schedule-trigger.node';
import { subworkflowTriggerNode } from './subworkflow-trigger.node';
import { switchNode } from './switch.node';
import { transformNode } from './transform.node';
import { waitUntilNode } from './wait-until.node';
import { waitWebhookNode } from './wait-webhook.node';
import { webhookTriggerNode } from './webhook-trigger.node';
import { workflowCallNode } from './workflow-call.node';

export const coreNodes = [
  manualTriggerNode,
  webhookTriggerNode,
  scheduleTriggerNode,
  eventTriggerNode,
  subworkflowTriggerNode,
  discordCommandTriggerNode,
  discordEventTriggerNode,
  transformNode,
  conditionNode,
  respondNode,
  httpRequestNode,
  switchNode,
  mergeNode,
  loopItemsNode,
  delayNode,
  waitUntilNode,
  waitWebhookNode,
  codeNode,
  emailSendNode,
  workflowCallNode,
  ...discordNodes,
] as const;

/** The built-in nodes; hosts add integrations with `createNodeRegistry([...coreNodes, ...more])`. */
export function createCoreNodeRegistry(): NodeRegistry {
  return createNodeRegistry(coreNodes);
}
