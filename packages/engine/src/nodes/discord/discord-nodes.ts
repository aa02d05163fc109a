import { botVariableGetNode, botVariableIncrementNode, botVariableSetNode } from './bot-variable.nodes';
import { discordEventTriggerNode } from './discord-event-trigger.node';
import { discordAddRoleNode, discordBanNode, discordKickNode, discordRemoveRoleNode, discordTimeoutNode } from './discord-member.nodes';
import { discordDeleteMessageNode, discordEditMessageNode, discordSendMessageNode } from './discord-message.nodes';
import { discordReplyNode } from './discord-reply.node';
import { discordCreateThreadNode, discordSendDmNode } from './discord-thread-dm.nodes';

/** Discord actions (through `services.discord`) and bot variables (through `services.botData`). */
export const discordNodes = [
  discordSendMessageNode,
  discordEditMessageNode,
  discordDeleteMessageNode,
  discordReplyNode,
  discordAddRoleNode,
  discordRemoveRoleNode,
  discordKickNode,
  discordBanNode,
  discordTimeoutNode,
  discordCreateThreadNode,
  discordSendDmNode,
  botVariableGetNode,
  botVariableSetNode,
  botVariableIncrementNode,
] as const;

export { discordEventTriggerNode };
