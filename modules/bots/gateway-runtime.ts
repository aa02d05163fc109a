import { createHash } from 'node:crypto';
import type { Database } from '@weft/db';
import type { DiscordEventType } from '@weft/engine';
import type { Clock, Logger } from '@weft/kernel';
import { openGatewayConnection, type GatewayConnection } from './gateway-connection';
import type { DispatchTarget, GatewayDispatcher } from './gateway-dispatch';
import { computeIntents, judgeCloseCode } from './gateway-intents';
import { claimLease, countIdentify, listEnabledFlowRows, listRunningBotRows, releaseLease, renewLease, resumeStateOf, setRuntimeStatus, type ResumeState, type RunningBotRow } from './gateway.repository';
import type { BotStatus } from './bots.tables';
import type { RuntimeLog } from './runtime-log';

export interface GatewayRuntimeOptions {
  database: Database;
  clock: Clock;
  logger: Logger;
  runtimeLog: RuntimeLog;
  dispatcher: GatewayDispatcher;
  /** Distinguishes this worker in the lease table. */
  workerId: string;
  readToken(bot: RunningBotRow): Promise<string>;
  apiUrl: string;
  gatewayUrl?: string;
  /** Lease length (default 30 s); renewed every third of it. */
  leaseMs?: number;
  helloTimeoutMs?: number;
  readyTimeoutMs?: number;
  identifySpacingMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  /** Discord's session start limit per day (default 1000). */
  dailyIdentifyLimit?: number;
}

interface HeldSession {
  bot: RunningBotRow;
  tokenHash: string;
  intents: number;
  target: DispatchTarget;
  connection: GatewayConnection;
  /** Last dispatch fully handled: what the next owner resumes from. */
  resume: ResumeState | null;
  /** Dispatches are handled one after another, in sequence order. */
  chain: Promise<void>;
  renewedAt: number;
  isEnded: boolean;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The worker component that runs the gateway sessions of running bots: one
 * session per bot across all workers, held by a lease row in PostgreSQL
 * (renewed every third of its length; a worker that cannot renew closes its
 * session before the lease can pass to another). Each tick reconciles what
 * runs here with what the database says should run.
 */
export function createGatewayRuntime(options: GatewayRuntimeOptions) {
  const { database, runtimeLog } = options;
  const leaseMs = options.leaseMs ?? 30_000;
  const tickMs = Math.max(20, Math.floor(leaseMs / 3));
  const dailyLimit = options.dailyIdentifyLimit ?? 1000;
  const logger = options.logger.child({ component: 'bots.gateway', worker: options.workerId });
  const held = new Map<string, HeldSession>();
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> = Promise.resolve();
  let isRunning = false;

  function groupFlows(rows: { botId: string; event: DiscordEventType; workflowId: string }[]): Map<string, Map<DiscordEventType, string[]>> {
    const byBot = new Map<string, Map<DiscordEventType, string[]>>();
    for (const row of rows) {
      const flows = byBot.get(row.botId) ?? new Map<DiscordEventType, string[]>();
      flows.set(row.event, [...(flows.get(row.event) ?? []), row.workflowId]);
      byBot.set(row.botId, flows);
    }
    return byBot;
  }

  /** Fatal for this bot: close, forget the session, free the lease, stop the bot with the reason. */
  async function haltBot(session: HeldSession, status: BotStatus, detail: string): Promise<void> {
    if (session.isEnded) return;
    session.isEnded = true;
    held.delete(session.bot.id);
    await session.connection.stop('end');
    await session.chain;
    await setRuntimeStatus(database.db, session.bot.id, status, detail, { stop: true });
    await releaseLease(database.db, session.bot.id, options.workerId, null);
    runtimeLog.record(session.bot.id, 'error', detail, { status });
  }

  async function startSession(bot: RunningBotRow, flows: Map<DiscordEventType, string[]>, resume: ResumeState | null): Promise<void> {
    const token = await options.readToken(bot);
    const intents = computeIntents(flows.keys());
    const today = options.clock.now().toISOString().slice(0, 10);
    const session: HeldSession = {
      bot,
      tokenHash: hashToken(token),
      intents,
      target: { id: bot.id, workspaceId: bot.workspaceId, applicationId: bot.applicationId, botUserId: null, flows, readyGuildIds: new Set() },
      resume,
      chain: Promise.resolve(),
      renewedAt: Date.now(),
      isEnded: false,
      connection: null as unknown as GatewayConnection,
    };
    held.set(bot.id, session);
    await setRuntimeStatus(database.db, bot.id, 'connecting', null);
    runtimeLog.record(bot.id, 'info', resume ? 'Connecting to the gateway (resuming the previous session)' : 'Connecting to the gateway', { intents });
    session.connection = openGatewayConnection({
      token,
      intents,
      apiUrl: options.apiUrl,
      ...(options.gatewayUrl ? { gatewayUrl: options.gatewayUrl } : {}),
      resume,
      logger,
      helloTimeoutMs: options.helloTimeoutMs ?? 60_000,
      readyTimeoutMs: options.readyTimeoutMs ?? 15_000,
      identifySpacingMs: options.identifySpacingMs ?? 5_000,
      backoff: options.backoff ?? { baseMs: 1_000, maxMs: 60_000 },
      async onIdentify() {
        try {
          const count = await countIdentify(database.db, bot.id, today);
          if (count >= dailyLimit) {
            // Past the limit Discord resets the token: stop before that happens.
            void haltBot(session, 'stopped', `The bot identified ${count} times today, Discord's daily limit; start it again tomorrow (UTC)`);
          } else if (count === Math.floor(dailyLimit * 0.9)) {
            runtimeLog.record(bot.id, 'warn', `The bot identified ${count} times today (limit ${dailyLimit})`);
          }
        } catch (error) {
          logger.warn({ err: error, botId: bot.id }, 'IDENTIFY not counted');
        }
      },
      onReady(data) {
        runtimeLog.record(bot.id, 'info', `Gateway ready in ${data.guilds.length} server(s)`);
        void setRuntimeStatus(database.db, bot.id, 'online', null).catch((error: unknown) => logger.warn({ err: error }, 'status not written'));
      },
      onResumed() {
        runtimeLog.record(bot.id, 'info', 'Gateway session resumed');
        void setRuntimeStatus(database.db, bot.id, 'online', null).catch((error: unknown) => logger.warn({ err: error }, 'status not written'));
      },
      onDispatch(payload, sessionId) {
        session.chain = session.chain
          .then(() => options.dispatcher.dispatch(session.target, payload, sessionId))
          .catch((error: unknown) => logger.error({ err: error, botId: bot.id, event: payload.t }, 'gateway dispatch failed'))
          .then(() => {
            const resumeUrl = payload.t === 'READY' ? payload.d.resume_gateway_url : session.resume?.sessionId === sessionId ? session.resume.resumeUrl : null;
            if (resumeUrl) session.resume = { sessionId, resumeUrl, sequence: payload.s };
          });
      },
      onClosed(code) {
        const verdict = judgeCloseCode(code, intents);
        if (!verdict.isRetryable) {
          void haltBot(session, verdict.status ?? 'stopped', verdict.detail ?? `Gateway closed with ${code}`);
          return false;
        }
        runtimeLog.record(bot.id, 'warn', `Gateway connection closed (code ${code}); reconnecting`, { code });
        void setRuntimeStatus(database.db, bot.id, 'connecting', null).catch(() => undefined);
        return true;
      },
      onTokenRejected() {
        void haltBot(session, 'token_invalid', 'Discord refused the bot token (401); reset it in the Developer Portal (Bot › Reset Token) and update the bot');
      },
    });
  }

  /** Closes a session here; `release` frees the lease at once (a crash leaves it to expire). */
  async function endSession(session: HeldSession, mode: 'end' | 'handover', release: boolean): Promise<void> {
    if (session.isEnded) return;
    session.isEnded = true;
    held.delete(session.bot.id);
    await session.connection.stop(mode);
    await session.chain;
    if (release) await releaseLease(database.db, session.bot.id, options.workerId, mode === 'handover' ? session.resume : null);
  }

  async function tick(): Promise<void> {
    const bots = await listRunningBotRows(database.db);
    const flowsByBot = groupFlows(await listEnabledFlowRows(database.db, bots.map((bot) => bot.id)));
    const wanted = new Map(bots.map((bot) => [bot.id, bot]));
    for (const session of [...held.values()]) {
      const bot = wanted.get(session.bot.id);
      if (!bot) {
        await endSession(session, 'end', true);
        runtimeLog.record(session.bot.id, 'info', 'Gateway session closed (bot stopped)');
        continue;
      }
      // A stalled worker whose lease may have passed on must not keep a second session open.
      const isRenewed = Date.now() - session.renewedAt < leaseMs && (await renewLease(database.db, bot.id, options.workerId, leaseMs, session.resume));
      if (!isRenewed) {
        logger.warn({ botId: bot.id }, 'gateway lease lost; closing the session');
        await endSession(session, 'handover', false);
        continue;
      }
      session.renewedAt = Date.now();
      const flows = flowsByBot.get(bot.id) ?? new Map();
      session.target.flows = flows;
      const intents = computeIntents(flows.keys());
      const isTokenChanged = bot.updatedAt.getTime() !== session.bot.updatedAt.getTime() && hashToken(await options.readToken(bot)) !== session.tokenHash;
      session.bot = bot;
      if (intents !== session.intents || isTokenChanged) {
        // Intents and token are fixed at IDENTIFY: a new session is the only way to change them.
        await endSession(session, 'end', false);
        await startSession(bot, flows, null);
      }
    }
    for (const bot of bots) {
      if (held.has(bot.id)) continue;
      const lease = await claimLease(database.db, bot.id, options.workerId, leaseMs);
      if (lease) await startSession(bot, flowsByBot.get(bot.id) ?? new Map(), resumeStateOf(lease));
    }
  }

  /** Ticks never overlap: a second one would open a second connection for the same bot. */
  function reconcileOnce(): Promise<void> {
    ticking = ticking.then(tick).catch((error: unknown) => logger.error({ err: error }, 'gateway runtime tick failed'));
    return ticking;
  }

  function schedule(): void {
    if (!isRunning) return;
    timer = setTimeout(() => void reconcileOnce().finally(schedule), tickMs);
  }

  return {
    async start(): Promise<void> {
      isRunning = true;
      await reconcileOnce();
      schedule();
    },
    /** Hands every session over: closed resumably, leases freed with the resume state. */
    async stop(): Promise<void> {
      isRunning = false;
      if (timer) clearTimeout(timer);
      await ticking;
      for (const session of [...held.values()]) await endSession(session, 'handover', true);
    },
    /** Stops like a crashed worker would: sockets gone, leases left to expire. For failover tests and drills. */
    async abandon(): Promise<void> {
      isRunning = false;
      if (timer) clearTimeout(timer);
      await ticking;
      for (const session of [...held.values()]) await endSession(session, 'handover', false);
    },
    /** Runs one reconciliation now (tests; the timer does it otherwise). */
    reconcile: reconcileOnce,
    heldBotIds: () => [...held.keys()],
  };
}

export type GatewayRuntime = ReturnType<typeof createGatewayRuntime>;
