import type { GatewayDispatchPayload } from 'discord-api-types/v10';
import type { Database } from '@weft/db';
import type { DiscordEventType } from '@weft/engine';
import type { Clock, Logger } from '@weft/kernel';
import type { StartTriggeredRun } from './bots.dependencies';
import { buildEventInput, EVENT_BY_DISPATCH, toChannel, toRole } from './event-input';
import { deleteGuildRow, findGuildRow, replaceGuildLists, upsertGuildRow } from './guild-sync.repository';
import type { RuntimeLog } from './runtime-log';

/** The bot a session belongs to, and its enabled flows by event. */
export interface DispatchTarget {
  id: string;
  workspaceId: string;
  applicationId: string;
  /** The bot's own user id (from READY): its own messages start no flow. */
  botUserId: string | null;
  flows: ReadonlyMap<DiscordEventType, readonly string[]>;
  /** Guilds announced by READY: their GUILD_CREATE is a load, not a join. */
  readyGuildIds: Set<string>;
}

type Raw = Record<string, unknown>;

/**
 * Handles one gateway dispatch: keeps the synced guild table current and
 * starts the matching event flows. The idempotency key is the session id
 * and sequence number, which a RESUME replay repeats exactly, so a replayed
 * event (even on another worker) gives back the run it already started.
 */
export function createGatewayDispatcher(deps: { database: Database; clock: Clock; logger: Logger; runtimeLog: RuntimeLog; startTriggeredRun: StartTriggeredRun }) {
  const { database } = deps;

  async function startFlows(target: DispatchTarget, event: DiscordEventType, data: Raw, idempotencyKey: string): Promise<void> {
    const workflowIds = target.flows.get(event) ?? [];
    if (workflowIds.length === 0) return;
    const input = buildEventInput(event, data, target);
    for (const workflowId of workflowIds) {
      try {
        await deps.startTriggeredRun({ workspaceId: target.workspaceId, workflowId, triggerKind: 'discord', input, idempotencyKey });
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'RUN_NOT_STARTED';
        deps.runtimeLog.record(target.id, 'warn', `The ${event} flow could not start its workflow (${code})`, { event, workflowId, code });
      }
    }
  }

  async function syncGuildLists(target: DispatchTarget, guildId: string | null, change: (lists: { channels: ReturnType<typeof toChannel>[]; roles: ReturnType<typeof toRole>[] }) => void): Promise<void> {
    if (!guildId) return;
    const guild = await findGuildRow(database.db, target.id, guildId);
    if (!guild) return;
    const lists = { channels: [...guild.channels], roles: [...guild.roles] };
    change(lists);
    await replaceGuildLists(database.db, target.id, guildId, lists, deps.clock.now());
  }

  const upsertById = <T extends { id: string }>(list: T[], item: T) => {
    const index = list.findIndex((entry) => entry.id === item.id);
    if (index === -1) list.push(item);
    else list[index] = item;
  };

  return {
    async dispatch(target: DispatchTarget, payload: GatewayDispatchPayload, sessionId: string): Promise<void> {
      const data = (payload.d ?? {}) as Raw;
      const key = `discord:${sessionId}:${payload.s}`;
      const now = deps.clock.now();
      switch (payload.t) {
        case 'READY': {
          const ready = payload.d;
          target.readyGuildIds = new Set(ready.guilds.map((guild) => guild.id));
          target.botUserId = ready.user.id;
          return;
        }
        case 'GUILD_CREATE':
        case 'GUILD_UPDATE': {
          const guildId = String(data.id);
          const isJoin = payload.t === 'GUILD_CREATE' && !target.readyGuildIds.has(guildId) && !(await findGuildRow(database.db, target.id, guildId));
          const lists = payload.t === 'GUILD_CREATE' ? { channels: ((data.channels as unknown[]) ?? []).map(toChannel), roles: ((data.roles as unknown[]) ?? []).map(toRole) } : { roles: ((data.roles as unknown[]) ?? []).map(toRole) };
          await upsertGuildRow(database.db, { botId: target.id, guildId, name: String(data.name ?? ''), icon: (data.icon as string | null) ?? null, ownerId: (data.owner_id as string | undefined) ?? null, ...lists, at: now });
          target.readyGuildIds.add(guildId);
          if (isJoin) {
            deps.runtimeLog.record(target.id, 'info', 'The bot was added to a server', { guildId });
            await startFlows(target, 'guild.join', data, key);
          }
          return;
        }
        case 'GUILD_DELETE': {
          // `unavailable: true` is an outage, not a removal (Events › Gateway Events › Guild Delete).
          if (data.unavailable === true) return;
          target.readyGuildIds.delete(String(data.id));
          if (await deleteGuildRow(database.db, target.id, String(data.id))) deps.runtimeLog.record(target.id, 'info', 'The bot was removed from a server', { guildId: data.id });
          await startFlows(target, 'guild.leave', data, key);
          return;
        }
        case 'GUILD_ROLE_CREATE':
        case 'GUILD_ROLE_UPDATE':
          await syncGuildLists(target, data.guild_id as string, (lists) => upsertById(lists.roles, toRole(data.role)));
          break;
        case 'GUILD_ROLE_DELETE':
          await syncGuildLists(target, data.guild_id as string, (lists) => (lists.roles = lists.roles.filter((role) => role.id !== data.role_id)));
          break;
        case 'CHANNEL_CREATE':
        case 'CHANNEL_UPDATE':
          await syncGuildLists(target, (data.guild_id as string | undefined) ?? null, (lists) => upsertById(lists.channels, toChannel(data)));
          break;
        case 'CHANNEL_DELETE':
          await syncGuildLists(target, (data.guild_id as string | undefined) ?? null, (lists) => (lists.channels = lists.channels.filter((channel) => channel.id !== data.id)));
          break;
        case 'MESSAGE_CREATE':
          // The bot's own messages would let a flow answer itself forever.
          if ((data.author as Raw | undefined)?.id === target.botUserId) return;
          break;
        default:
          break;
      }
      const event = EVENT_BY_DISPATCH[payload.t];
      if (event) await startFlows(target, event, data, key);
    },
  };
}

export type GatewayDispatcher = ReturnType<typeof createGatewayDispatcher>;
