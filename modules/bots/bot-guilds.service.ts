import { findGuildSettingsRow, listUsageRows, upsertGuildSettingsRow, type GuildSettingsRow } from './bot-data.repository';
import { createBotAccess, type BotsContext, type Caller } from './bots.context';

export interface GuildSettingsInput {
  enabledFeatures: string[];
  channels: Record<string, string>;
  staffRoleIds: string[];
}

export interface GuildSettingsView extends GuildSettingsInput {
  guildId: string;
  updatedAt: Date | null;
}

export function toGuildSettingsView(guildId: string, row: GuildSettingsRow | undefined): GuildSettingsView {
  return {
    guildId,
    enabledFeatures: row?.enabledFeatures ?? [],
    channels: row?.channels ?? {},
    staffRoleIds: row?.staffRoleIds ?? [],
    updatedAt: row?.updatedAt ?? null,
  };
}

/** Per-guild settings and command usage statistics. */
export function createBotGuildsService(context: BotsContext) {
  const { database, clock } = context;
  const access = createBotAccess(context);

  return {
    /** A guild without saved settings answers the defaults (nothing enabled). */
    async getGuildSettings(caller: Caller, workspaceRef: string, botId: string, guildId: string): Promise<GuildSettingsView> {
      const { bot } = await access.requireBot(caller, workspaceRef, botId, 'resources.read');
      return toGuildSettingsView(guildId, await findGuildSettingsRow(database.db, bot.id, guildId));
    },

    async putGuildSettings(caller: Caller, workspaceRef: string, botId: string, guildId: string, input: GuildSettingsInput): Promise<GuildSettingsView> {
      const { workspaceId, bot } = await access.requireBot(caller, workspaceRef, botId, 'resources.write');
      const row = await database.transaction(async (tx) => {
        const saved = await upsertGuildSettingsRow(tx, { botId: bot.id, guildId, ...input, updatedBy: caller.principal.userId, updatedAt: clock.now() });
        await access.recordChange(tx, caller, workspaceId, bot.id, 'bots.guild-settings.updated', { guildId, enabledFeatures: input.enabledFeatures });
        return saved;
      });
      return toGuildSettingsView(guildId, row);
    },

    /** Usage per command per UTC day over the last `days` days (today included). */
    async getUsage(caller: Caller, workspaceRef: string, botId: string, days: number) {
      const { bot } = await access.requireBot(caller, workspaceRef, botId, 'resources.read');
      const from = new Date(clock.now().getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
      const rows = await listUsageRows(database.db, bot.id, from);
      return { from, items: rows.map(({ commandId, day, invocations, failures, refusals }) => ({ commandId, day, invocations, failures, refusals })) };
    },
  };
}

export type BotGuildsService = ReturnType<typeof createBotGuildsService>;
