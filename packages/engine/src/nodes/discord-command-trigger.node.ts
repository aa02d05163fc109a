import { z } from 'zod';
import { defineNode } from '../define-node';

/**
 * Started by a Discord interaction (slash, user or message command, button,
 * select menu, modal, autocomplete) of a bot whose command names this
 * workflow. The host verifies the interaction and starts the run with the
 * normalized interaction (`kind`, `commandName`, `options`, `user`, `member`,
 * `guildId`, `channelId`, `customId`, `values`, `fields` …); a respond node
 * answers it: a string is the message content, an object may carry
 * `content`, `embeds`, `components`, `ephemeral`, `update` or `modal`.
 */
export const discordCommandTriggerNode = defineNode({
  type: 'trigger.discord-command',
  version: 1,
  name: 'Discord command',
  description: 'Starts the workflow when a Discord user runs a bot command or uses one of its components.',
  kind: 'trigger',
  params: z.object({}),
  ports: { inputs: [], outputs: ['main'] },
  run: ({ input }) => ({ output: input }),
});
