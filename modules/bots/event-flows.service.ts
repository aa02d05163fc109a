import type { DiscordEventType } from '@weft/engine';
import { AppError, isUuid, newId } from '@weft/kernel';
import { BotErrors } from './bots.errors';
import { createBotAccess, type BotsContext, type Caller } from './bots.context';
import { deleteEventFlowRow, findEventFlowRow, insertEventFlowRow, listEventFlowRows, updateEventFlowRow, type EventFlowRow } from './event-flows.repository';
import { computeIntents, privilegedIntentNames } from './gateway-intents';
import { listGuildRows, type BotGuildRow } from './guild-sync.repository';

export interface EventFlowInput {
  event: DiscordEventType;
  workflowId: string;
  isEnabled?: boolean;
}

const MAX_FLOWS_PER_BOT = 100;

function flowNotFound(flowId: string): AppError {
  return new AppError(BotErrors.BOT_EVENT_FLOW_NOT_FOUND, 'No such event flow on this bot', { flowId });
}

function isDuplicate(error: unknown): boolean {
  for (let cause = error as { code?: string; cause?: unknown } | undefined; cause; cause = cause.cause as typeof cause) {
    if (cause.code === '23505') return true;
  }
  return false;
}

/** Guild › Permissions: a user manages a guild when they own it or hold ADMINISTRATOR or MANAGE_GUILD. */
export function canManageGuild(guild: { owner?: boolean; permissions?: string }): boolean {
  if (guild.owner) return true;
  const bits = BigInt(guild.permissions ?? '0');
  return (bits & (1n << 3n)) !== 0n || (bits & (1n << 5n)) !== 0n;
}

export function toGuildView(row: BotGuildRow) {
  return { guildId: row.guildId, name: row.name, icon: row.icon, ownerId: row.ownerId, channels: row.channels, roles: row.roles, joinedAt: row.joinedAt, syncedAt: row.syncedAt };
}

/** Event flows (gateway event → workflow) and the guilds the gateway synced. */
export function createEventFlowsService(context: BotsContext) {
  const { database, clock } = context;
  const access = createBotAccess(context);

  async function requireWorkflow(workspaceId: string, workflowId: string): Promise<void> {
    const workflow = await context.findWorkflow(workspaceId, workflowId);
    if (!workflow || workflow.isArchived) throw new AppError(BotErrors.BOT_WORKFLOW_NOT_FOUND, 'No such workflow in this workspace', { workflowId });
  }

  async function requireFlow(botId: string, flowId: string): Promise<EventFlowRow> {
    const flow = isUuid(flowId) ? await findEventFlowRow(database.db, botId, flowId) : undefined;
    if (!flow) throw flowNotFound(flowId);
    return flow;
  }

  return {
    /** With the intents the enabled flows need, so the dashboard can say which privileged ones to enable. */
    async listEventFlows(caller: Caller, workspaceRef: string, botId: string) {
      const { bot } = await access.requireBot(caller, workspaceRef, botId, 'resources.read');
      const rows = await listEventFlowRows(database.db, bot.id);
      const intents = computeIntents(rows.filter((row) => row.isEnabled).map((row) => row.event));
      return { items: rows, intents: { bits: intents, privileged: privilegedIntentNames(intents) } };
    },

    async createEventFlow(caller: Caller, workspaceRef: string, botId: string, input: EventFlowInput): Promise<EventFlowRow> {
      const { workspaceId, bot } = await access.requireBot(caller, workspaceRef, botId, 'resources.write');
      await requireWorkflow(workspaceId, input.workflowId);
      if ((await listEventFlowRows(database.db, bot.id)).length >= MAX_FLOWS_PER_BOT) {
        throw new AppError(BotErrors.BOT_EVENT_FLOW_LIMIT_REACHED, `A bot can have at most ${MAX_FLOWS_PER_BOT} event flows`);
      }
      const now = clock.now();
      try {
        return await database.transaction(async (tx) => {
          const row = await insertEventFlowRow(tx, { id: newId(), botId: bot.id, workspaceId, event: input.event, workflowId: input.workflowId, isEnabled: input.isEnabled ?? true, createdAt: now, updatedAt: now });
          await access.recordChange(tx, caller, workspaceId, bot.id, 'bots.event-flow.created', { flowId: row.id, event: row.event, workflowId: row.workflowId });
          return row;
        });
      } catch (error) {
        if (isDuplicate(error)) throw new AppError(BotErrors.BOT_EVENT_FLOW_TAKEN, 'This workflow already handles this event for the bot', { event: input.event });
        throw error;
      }
    },

    async updateEventFlow(caller: Caller, workspaceRef: string, botId: string, flowId: string, input: Partial<EventFlowInput>): Promise<EventFlowRow> {
      const { workspaceId, bot } = await access.requireBot(caller, workspaceRef, botId, 'resources.write');
      await requireFlow(bot.id, flowId);
      if (input.workflowId) await requireWorkflow(workspaceId, input.workflowId);
      try {
        return await database.transaction(async (tx) => {
          const row = await updateEventFlowRow(tx, bot.id, flowId, { ...input, updatedAt: clock.now() });
          if (!row) throw flowNotFound(flowId);
          await access.recordChange(tx, caller, workspaceId, bot.id, 'bots.event-flow.updated', { flowId, fields: Object.keys(input) });
          return row;
        });
      } catch (error) {
        if (isDuplicate(error)) throw new AppError(BotErrors.BOT_EVENT_FLOW_TAKEN, 'This workflow already handles this event for the bot');
        throw error;
      }
    },

    async deleteEventFlow(caller: Caller, workspaceRef: string, botId: string, flowId: string): Promise<void> {
      const { workspaceId, bot } = await access.requireBot(caller, workspaceRef, botId, 'resources.write');
      await requireFlow(bot.id, flowId);
      await database.transaction(async (tx) => {
        if (!(await deleteEventFlowRow(tx, bot.id, flowId))) throw flowNotFound(flowId);
        await access.recordChange(tx, caller, workspaceId, bot.id, 'bots.event-flow.deleted', { flowId });
      });
    },

    async listGuilds(caller: Caller, workspaceRef: string, botId: string) {
      const { bot } = await access.requireBot(caller, workspaceRef, botId, 'resources.read');
      return (await listGuildRows(database.db, bot.id)).map(toGuildView);
    },
  };
}

export type EventFlowsService = ReturnType<typeof createEventFlowsService>;
