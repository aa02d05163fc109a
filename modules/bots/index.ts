import type { FastifyInstance } from 'fastify';
import type { Database } from '@weft/db';
import type { BotDataService } from '@weft/engine';
import { isUuid, newId, type Clock, type DataRights, type Logger, type PeriodicJob } from '@weft/kernel';
import { createInteractionAnswerer } from './answer-interaction';
import { createBotCommandRoutes } from './bot-commands.routes';
import { createBotCommandsService } from './bot-commands.service';
import { createBotDataRoutes } from './bot-data.routes';
import { anonymizeGuildSettingsEditor, purgeExpiredBotData } from './bot-data.repository';
import { botCommandUsageInventory, botGuildSettingsInventory, botRuntimeEventsInventory, botVariablesInventory, RUNTIME_EVENT_RETENTION_DAYS, USAGE_RETENTION_DAYS } from './bot-data.tables';
import { createBotDirectory } from './bot-directory';
import { createBotGuildsService } from './bot-guilds.service';
import { createBotVariablesService, createVariablesViewer } from './bot-variables.service';
import { botNotFound, TOKEN_CREDENTIAL_TYPE, type BotsContext } from './bots.context';
import type { BotTokenVault, FindManagedDiscordGuilds, FindWorkflow, RecordAudit, RequireWorkspaceAccess, RunWorkflowNow, StartTriggeredRun } from './bots.dependencies';
import { anonymizeBotCreator, findBotRow, listBotRowsCreatedBy } from './bots.repository';
import { createBotRoutes } from './bots.routes';
import { createBotsService } from './bots.service';
import { botCommandRegistrationsInventory, botCommandsInventory, botsInventory } from './bots.tables';
import { createCooldowns } from './cooldowns';
import { createDiscordActionsProvider } from './discord-actions';
import { createDiscordClient } from './discord-client';
import { canManageGuild, createEventFlowsService, toGuildView } from './event-flows.service';
import { createEventFlowRoutes } from './event-flows.routes';
import { createGatewayDispatcher } from './gateway-dispatch';
import { createGatewayRuntime, type GatewayRuntimeOptions } from './gateway-runtime';
import { purgeOldIdentifyCounts } from './gateway.repository';
import { botEventFlowsInventory, botGatewayIdentifiesInventory, botGatewayLeasesInventory, botGuildsInventory } from './gateway.tables';
import { anonymizeGuildOwner, listGuildRows, listGuildRowsOwnedBy } from './guild-sync.repository';
import { createGuildStaffRoutes } from './guild-staff.routes';
import { createGuildStaffService } from './guild-staff.service';
import { registerInteractionRoutes } from './interactions.routes';
import { createRuntimeLog } from './runtime-log';
import { createUsageCounter } from './usage-counter';

export type { BotTokenVault, FindManagedDiscordGuilds, FindWorkflow, RecordAudit, RequireWorkspaceAccess, RunWorkflowNow, RunWorkflowNowResult, StartTriggeredRun, WorkspacePermission } from './bots.dependencies';
export type { GatewayRuntime } from './gateway-runtime';
export { canManageGuild } from './event-flows.service';
export type { DiscordInteractionInput } from './interaction-input';
export type { VariableAddress, VariableView } from './bot-variables.service';
export { BotErrors } from './bots.errors';

export interface BotsModuleDeps {
  database: Database;
  clock: Clock;
  logger: Logger;
  requireWorkspaceAccess: RequireWorkspaceAccess;
  recordAudit: RecordAudit;
  /** The credentials module's api (storeCredential, replaceCredentialData, deleteCredential, loadCredentialForRun). */
  credentials: BotTokenVault;
  /** `catalog.findWorkflowRunSettings`, scoped by workspace. */
  findWorkflow: FindWorkflow;
  /** The runs module's `api.runWorkflowNow`. */
  runWorkflowNow: RunWorkflowNow;
  /** The runs module's `api.startTriggeredRun`: event flows queue their runs. */
  startTriggeredRun: StartTriggeredRun;
  /** The accounts module's link from a Weft user to their Discord id, for export and erasure of member data. */
  findDiscordIdOfUser?: (userId: string) => Promise<string | null>;
  /** The accounts module's `api.findManagedDiscordGuilds`: who is guild staff (edits a bot's settings for a server they manage). */
  findManagedDiscordGuilds: FindManagedDiscordGuilds;
  /** `config.discord.apiUrl`, `authorizeUrl` and `gatewayUrl` (overrides what GET /gateway/bot answers). */
  discord: { apiUrl: string; authorizeUrl: string; gatewayUrl?: string };
  /** Gateway timings; tests shorten them. */
  gateway?: Pick<GatewayRuntimeOptions, 'leaseMs' | 'helloTimeoutMs' | 'readyTimeoutMs' | 'identifySpacingMs' | 'backoff' | 'dailyIdentifyLimit'>;
  publicUrl: string;
  /** Per-plan limit of stored variables per bot (default 1000). */
  maxVariablesPerBot?: number;
  /** Reply deferral threshold (default 2500 ms; Discord waits 3 s). */
  deferAfterMs?: number;
  usageFlushIntervalMs?: number;
}

/**
 * Discord bots: connection (token as an encrypted credential), commands
 * answered by workflows, the signed interactions endpoint, registration by
 * diff, bot data (variables), guild settings and usage statistics.
 * `start()` before serving interactions, `stop()` after the HTTP server.
 */
export function createBotsModule(deps: BotsModuleDeps) {
  const directory = createBotDirectory(deps);
  const runtimeLog = createRuntimeLog(deps);
  const usage = createUsageCounter({ database: deps.database, logger: deps.logger, ...(deps.usageFlushIntervalMs ? { flushIntervalMs: deps.usageFlushIntervalMs } : {}) });
  const discord = createDiscordClient({ apiUrl: deps.discord.apiUrl });
  const context: BotsContext = {
    database: deps.database,
    clock: deps.clock,
    discord,
    vault: deps.credentials,
    requireWorkspaceAccess: deps.requireWorkspaceAccess,
    recordAudit: deps.recordAudit,
    findWorkflow: deps.findWorkflow,
    directory,
    runtimeLog,
    publicUrl: deps.publicUrl,
    authorizeUrl: deps.discord.authorizeUrl,
    maxVariablesPerBot: deps.maxVariablesPerBot ?? 1000,
  };
  const bots = createBotsService(context);
  const commands = createBotCommandsService(context, bots);
  const variables = createBotVariablesService(context);
  const guilds = createBotGuildsService(context);
  const guildStaff = createGuildStaffService(context, deps.findManagedDiscordGuilds);
  const answerer = createInteractionAnswerer({
    clock: deps.clock,
    logger: deps.logger,
    runWorkflowNow: deps.runWorkflowNow,
    discord,
    cooldowns: createCooldowns(),
    usage,
    runtimeLog,
    ...(deps.deferAfterMs === undefined ? {} : { deferAfterMs: deps.deferAfterMs }),
  });
  const followUps = new Set<Promise<void>>();
  const eventFlows = createEventFlowsService(context);
  const dispatcher = createGatewayDispatcher({ database: deps.database, clock: deps.clock, logger: deps.logger, runtimeLog, startTriggeredRun: deps.startTriggeredRun });
  const discordActions = createDiscordActionsProvider({ database: deps.database, vault: deps.credentials, apiUrl: deps.discord.apiUrl, logger: deps.logger, runtimeLog });

  /** `services.botData` for one workspace's runs: variables of that workspace's bots only. */
  function botDataFor(workspaceId: string): BotDataService {
    return {
      async get(address) {
        return (await variables.getVariable({ workspaceId, ...address }))?.value ?? null;
      },
      async set(address, value) {
        return (await variables.setVariable({ workspaceId, ...address, value })).value;
      },
      increment: (address, by) => variables.incrementVariable({ workspaceId, ...address, by }),
    };
  }

  const purgeJob: PeriodicJob = {
    name: 'bots.purge-expired',
    intervalMs: 6 * 3_600_000,
    async run({ logger }) {
      const now = deps.clock.now().getTime();
      const removed = await purgeExpiredBotData(
        deps.database.db,
        new Date(now - RUNTIME_EVENT_RETENTION_DAYS * 86_400_000),
        new Date(now - USAGE_RETENTION_DAYS * 86_400_000).toISOString().slice(0, 10),
      );
      if (removed.events + removed.usage > 0) logger.info(removed, 'purged expired bot runtime events and usage');
      await purgeOldIdentifyCounts(deps.database.db, new Date(now - 30 * 86_400_000).toISOString().slice(0, 10));
    },
  };

  /** Bots are workspace property; a person's trace is who connected or edited them, and their own Discord member data. */
  const dataRights: DataRights = {
    module: 'bots',
    async exportSubject(subject) {
      const connected = await listBotRowsCreatedBy(deps.database.db, subject.userId);
      const discordId = deps.findDiscordIdOfUser ? await deps.findDiscordIdOfUser(subject.userId) : null;
      return {
        bots: connected.map((row) => ({ id: row.id, workspaceId: row.workspaceId, applicationId: row.applicationId, name: row.name, createdAt: row.createdAt })),
        bot_variables: discordId ? await variables.exportDiscordMember(discordId) : [],
        bot_guilds_owned: discordId ? (await listGuildRowsOwnedBy(deps.database.db, discordId)).map((row) => ({ botId: row.botId, guildId: row.guildId, name: row.name })) : [],
      };
    },
    async eraseSubject(subject) {
      const discordId = deps.findDiscordIdOfUser ? await deps.findDiscordIdOfUser(subject.userId) : null;
      if (discordId) await variables.eraseDiscordMember(discordId);
      if (discordId) await anonymizeGuildOwner(deps.database.db, discordId);
      await anonymizeBotCreator(deps.database.db, subject.userId);
      await anonymizeGuildSettingsEditor(deps.database.db, subject.userId);
    },
  };

  return {
    routes: [...createBotRoutes(bots), ...createBotCommandRoutes(commands), ...createBotDataRoutes(createVariablesViewer(context, variables), guilds), ...createEventFlowRoutes(eventFlows), ...createGuildStaffRoutes(guildStaff)],
    /**
     * The worker component that holds gateway sessions (one per running bot
     * across all workers): pass it in `createWorker({ components })`.
     */
    createGatewayRuntime: (workerId: string = `gateway:${newId()}`) =>
      createGatewayRuntime({
        database: deps.database,
        clock: deps.clock,
        logger: deps.logger,
        runtimeLog,
        dispatcher,
        workerId,
        readToken: async (bot) =>
          String((await deps.credentials.loadCredentialForRun({ workspaceId: bot.workspaceId, credentialId: bot.credentialId, expectedType: TOKEN_CREDENTIAL_TYPE })).fields.token),
        apiUrl: deps.discord.apiUrl,
        ...(deps.discord.gatewayUrl ? { gatewayUrl: deps.discord.gatewayUrl } : {}),
        ...deps.gateway,
      }),
    /** `POST /discord/interactions/:botId`, registered on the app directly (raw body, hot path). */
    registerInteractionRoutes: (app: FastifyInstance) =>
      registerInteractionRoutes(app, {
        clock: deps.clock,
        directory,
        answerer,
        track(work) {
          const tracked = work.catch((error: unknown) => deps.logger.warn({ err: error }, 'deferred interaction reply failed')).finally(() => followUps.delete(tracked));
          followUps.add(tracked);
        },
      }),
    /** Bot data for flows (the lead turns these into engine nodes); every call names the run's workspace. */
    api: {
      getVariable: variables.getVariable,
      listVariables: variables.listVariables,
      setVariable: variables.setVariable,
      incrementVariable: variables.incrementVariable,
      compareAndSetVariable: variables.compareAndSetVariable,
      deleteVariable: variables.deleteVariable,
      /** `services.discord` for one workspace's runs: it can act only through its own bots. */
      discordActionsFor: (workspaceId: string) => discordActions.forWorkspace(workspaceId),
      botDataFor,
      /**
       * The bot's guilds that a Discord user manages, from that user's OAuth
       * guild list (`GET /users/@me/guilds`: owner, permissions).
       */
      async listManagedGuilds(input: { workspaceId: string; botId: string; userGuilds: { id: string; owner?: boolean; permissions?: string }[] }) {
        if (!isUuid(input.botId) || !(await findBotRow(deps.database.db, input.workspaceId, input.botId))) throw botNotFound(input.botId);
        const managed = input.userGuilds.filter(canManageGuild).map((guild) => guild.id);
        return (await listGuildRows(deps.database.db, input.botId, managed)).map(toGuildView);
      },
      /** Writes the usage counted in memory (also done every few seconds and on stop). */
      flushUsage: () => usage.flush(),
    },
    jobs: [purgeJob],
    inventories: [
      botsInventory,
      botCommandsInventory,
      botCommandRegistrationsInventory,
      botVariablesInventory,
      botGuildSettingsInventory,
      botCommandUsageInventory,
      botRuntimeEventsInventory,
      botEventFlowsInventory,
      botGatewayLeasesInventory,
      botGatewayIdentifiesInventory,
      botGuildsInventory,
    ],
    dataRights,
    async start(): Promise<void> {
      await directory.start();
      usage.start();
    },
    /** Lets deferred replies in flight complete, then writes the remaining statistics and log lines. */
    async stop(): Promise<void> {
      while (followUps.size > 0) await Promise.allSettled([...followUps]);
      await usage.stop();
      await runtimeLog.drain();
      await directory.stop();
    },
  };
}

export type BotsModule = ReturnType<typeof createBotsModule>;
