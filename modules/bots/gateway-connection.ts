import { setTimeout as sleep } from 'node:timers/promises';
import type { REST } from '@discordjs/rest';
import type { SessionInfo, WebSocketManager } from '@discordjs/ws';
import { type APIGatewayBotInfo, type GatewayDispatchPayload, type GatewayReadyDispatchData } from 'discord-api-types/v10';
import type { Logger } from '@weft/kernel';
import { splitApiUrl } from './discord-client';
import { isDiscordApiError, loadDiscordSdk, type DiscordSdk } from './discord-sdk';

/** Longest a closing session waits for the gateway to acknowledge. */
const DESTROY_TIMEOUT_MS = 3000;
import type { ResumeState } from './gateway.repository';

export interface GatewayConnectionOptions {
  token: string;
  intents: number;
  apiUrl: string;
  /** DISCORD_GATEWAY_URL; when absent, the URL GET /gateway/bot answers. */
  gatewayUrl?: string;
  /** A session another worker (or this one) left resumable. */
  resume: ResumeState | null;
  logger: Logger;
  helloTimeoutMs: number;
  readyTimeoutMs: number;
  /** Gateway › Session Start Limit: at most one IDENTIFY per 5 s per bucket. */
  identifySpacingMs: number;
  backoff: { baseMs: number; maxMs: number };
  /** Before each IDENTIFY (counted per day). Must not throw. */
  onIdentify(): Promise<void>;
  onReady(data: GatewayReadyDispatchData): void;
  onResumed(): void;
  /** Every dispatch (READY included), in order, with the session it belongs to. */
  onDispatch(payload: GatewayDispatchPayload, sessionId: string): void;
  /** A close Discord sent or a dropped socket; return false to stop for good. */
  onClosed(code: number): boolean;
  /** GET /gateway/bot answered 401: the token is revoked. */
  onTokenRejected(): void;
}

/** Closing with a code other than 1000/1001 keeps the session resumable (Gateway › Disconnecting). */
const HANDOVER_CLOSE_CODE = 4000;
/** Closes without READY/RESUMED in between before this wrapper backs off (the SDK retries after 500 ms). */
const FAILURES_BEFORE_BACKOFF = 3;

/**
 * One bot's gateway session through @discordjs/ws (HELLO, heartbeats,
 * IDENTIFY/RESUME, op 7/9, zombie detection), with what the SDK leaves to
 * its user: the gateway URL from configuration, resume state that survives a
 * move to another worker, IDENTIFY counting, exponential backoff when
 * reconnects keep failing, and the close codes that must not be retried.
 */
export function openGatewayConnection(options: GatewayConnectionOptions) {
  const { api, version } = splitApiUrl(options.apiUrl);
  let rest: REST | undefined; // made on the first connect, once the SDK is loaded
  let session: SessionInfo | null = options.resume ? { ...toSessionInfo(options.resume) } : null;
  let manager: WebSocketManager | null = null;
  let isStopping = false;
  let keepSessionOnDestroy = false;
  let failures = 0;
  let lastIdentifyAt = 0;
  const stopSignal = new AbortController();

  function toSessionInfo(resume: ResumeState): SessionInfo {
    return { sessionId: resume.sessionId, resumeURL: resume.resumeUrl, sequence: resume.sequence, shardId: 0, shardCount: 1 };
  }

  function buildManager(sdk: DiscordSdk): WebSocketManager {
    const { WebSocketManager, WebSocketShardEvents } = sdk.ws;
    rest ??= new sdk.rest.REST({ api, version, retries: 1, timeout: 10_000, hashSweepInterval: 0, handlerSweepInterval: 0 }).setToken(options.token);
    const built = new WebSocketManager({
      token: options.token,
      intents: options.intents,
      rest,
      shardCount: 1,
      helloTimeout: options.helloTimeoutMs,
      readyTimeout: options.readyTimeoutMs,
      // The SDK reconnects on its own 500 ms after a dropped socket, even when destroy() came in
      // between (destroying an idle shard does nothing). Once stopped, that reconnect waits here
      // for good: no socket, no timer, so a stopped server can exit instead of retrying forever.
      retrieveSessionInfo: () => (isStopping ? new Promise<never>(() => undefined) : session),
      updateSessionInfo: (_shardId, info) => {
        // The SDK forgets the session on every destroy; a handover or backoff keeps it for the next RESUME.
        if (info === null && keepSessionOnDestroy) return;
        session = info;
      },
      buildIdentifyThrottler: () => ({
        async waitForIdentify(_shardId: number, signal: AbortSignal) {
          const wait = lastIdentifyAt + options.identifySpacingMs - Date.now();
          if (wait > 0) await sleep(wait, undefined, { signal });
          lastIdentifyAt = Date.now();
          await options.onIdentify();
        },
      }),
    });
    if (options.gatewayUrl) {
      // The SDK has no option for the gateway URL: DISCORD_GATEWAY_URL replaces the one GET /gateway/bot answers.
      const fetchInformation = built.fetchGatewayInformation.bind(built);
      const gatewayUrl = options.gatewayUrl;
      built.fetchGatewayInformation = async (force?: boolean): Promise<APIGatewayBotInfo> => ({ ...(await fetchInformation(force)), url: gatewayUrl });
    }
    built.on(WebSocketShardEvents.Ready, (data) => {
      failures = 0;
      options.onReady(data);
    });
    built.on(WebSocketShardEvents.Resumed, () => {
      failures = 0;
      options.onResumed();
    });
    built.on(WebSocketShardEvents.Dispatch, (payload) => {
      const sessionId = payload.t === 'READY' ? payload.d.session_id : session?.sessionId;
      if (sessionId) options.onDispatch(payload, sessionId);
    });
    built.on(WebSocketShardEvents.Closed, (code) => {
      if (isStopping) return;
      if (!options.onClosed(code)) {
        void stop('end');
        return;
      }
      failures += 1;
      if (failures >= FAILURES_BEFORE_BACKOFF) void reconnectAfterBackoff();
    });
    // Errors are reported through Closed codes; an unheard 'error' event would throw.
    built.on(WebSocketShardEvents.Error, (error) => options.logger.debug({ err: error }, 'gateway shard error'));
    built.on(WebSocketShardEvents.SocketError, (error) => options.logger.debug({ err: error }, 'gateway socket error'));
    return built;
  }

  async function destroyManager(code: number, keepSession: boolean): Promise<void> {
    const current = manager;
    manager = null;
    if (!current) return;
    keepSessionOnDestroy = keepSession;
    try {
      // A gateway that went away never answers the close: shutting down must not wait for it.
      await Promise.race([current.destroy({ code, reason: 'Weft gateway runtime' }), sleep(DESTROY_TIMEOUT_MS, undefined, { ref: false })]);
    } catch (error) {
      options.logger.debug({ err: error }, 'gateway destroy failed');
    } finally {
      keepSessionOnDestroy = false;
    }
  }

  async function connect(): Promise<void> {
    const sdk = await loadDiscordSdk();
    while (!isStopping) {
      manager = buildManager(sdk);
      try {
        // Resolves on READY/RESUMED; a fatal close leaves it pending, which is fine: events decide.
        // The stop listener goes with each attempt: one per reconnect would pile up on the long-lived signal.
        let onStop: (() => void) | undefined;
        const stopped = new Promise<void>((resolve) => {
          onStop = resolve;
          stopSignal.signal.addEventListener('abort', onStop, { once: true });
        });
        try {
          await Promise.race([manager.connect(), stopped]);
        } finally {
          stopSignal.signal.removeEventListener('abort', onStop!);
        }
        return;
      } catch (error) {
        if (isDiscordApiError(error) && error.status === 401) {
          options.onTokenRejected();
          await stop('end');
          return;
        }
        options.logger.warn({ err: error }, 'gateway connect failed; backing off');
        await destroyManager(HANDOVER_CLOSE_CODE, true);
        failures += 1;
        await waitBackoff();
      }
    }
  }

  async function waitBackoff(): Promise<void> {
    const exponent = Math.min(failures, 10);
    const delay = Math.min(options.backoff.maxMs, options.backoff.baseMs * 2 ** exponent) * (0.5 + Math.random() / 2);
    await sleep(delay, undefined, { signal: stopSignal.signal }).catch(() => undefined);
  }

  async function reconnectAfterBackoff(): Promise<void> {
    await destroyManager(HANDOVER_CLOSE_CODE, true);
    await waitBackoff();
    if (!isStopping) await connect();
  }

  /**
   * `end` closes with 1000 (Discord ends the session); `handover` closes with
   * 4000 so the next owner can RESUME, and returns what it needs.
   */
  async function stop(mode: 'end' | 'handover'): Promise<ResumeState | null> {
    if (isStopping && mode === 'end') return null;
    isStopping = true;
    stopSignal.abort();
    await destroyManager(mode === 'end' ? 1000 : HANDOVER_CLOSE_CODE, mode === 'handover');
    return mode === 'handover' && session ? { sessionId: session.sessionId, resumeUrl: session.resumeURL, sequence: session.sequence } : null;
  }

  void connect();
  return { stop };
}

export type GatewayConnection = ReturnType<typeof openGatewayConnection>;
