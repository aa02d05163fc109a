import { randomBytes } from 'node:crypto';
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord-api-types/v10';
import type { DiscordState } from '../discord-state';
import type { GatewayDispatch } from '../dispatch-bus';
import { isRecord } from '../route-guards';
import type { GatewayConnection, ConnectionHost } from './gateway-connection';
import { hideMessageContent, requiredIntent } from './gateway-intents';
import { GatewaySession } from './gateway-session';
import { checkGuildMembersRequest, checkIdentify, findBotApplication } from './identify-rules';
import { buildGuildCreate, buildReady, isGuildOnShard, listSessionGuildIds } from './ready-payloads';
import { SessionStartLimits } from './session-start-limit';

/**
 * Close codes after which a session cannot be resumed: the server's "start a
 * new session" codes, and a client's own 1000/1001 (Events › Gateway ›
 * Disconnecting: closing with them invalidates the session).
 */
const SESSION_ENDING_CODES = new Set<number>([
  1000, 1001,
  GatewayCloseCodes.AuthenticationFailed, GatewayCloseCodes.InvalidSeq, GatewayCloseCodes.SessionTimedOut,
  GatewayCloseCodes.InvalidShard, GatewayCloseCodes.ShardingRequired, GatewayCloseCodes.InvalidAPIVersion,
  GatewayCloseCodes.InvalidIntents, GatewayCloseCodes.DisallowedIntents,
]);

/** Sessions, their connections and the counters tests read; receives every dispatch from the state's bus. */
export class GatewayHub implements ConnectionHost {
  readonly sessions = new Map<string, GatewaySession>();
  readonly connections = new Set<GatewayConnection>();
  readonly startLimits: SessionStartLimits;
  private readonly identifies = new Map<string, number>();
  private readonly resumes = new Map<string, number>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly state: DiscordState,
    private readonly resumeGatewayUrl: () => string,
    sessionStartLimit: number,
  ) {
    this.startLimits = new SessionStartLimits(state.clock, sessionStartLimit);
    this.unsubscribe = state.bus.subscribe((dispatch) => this.deliver(dispatch));
  }

  identify(connection: GatewayConnection, data: unknown): void {
    const fault = this.state.faults.takeGatewayFault('close', 'identify');
    if (fault) return connection.close(fault.code, 'Injected fault.');
    const verdict = checkIdentify(this.state, data);
    if (verdict.kind === 'refused') return connection.close(verdict.code, verdict.reason);
    const { application } = verdict;
    if (!this.startLimits.take(application.id)) {
      // Going over the session start limit makes Discord reset the bot's token (Topics › Gateway › Session Start Limit).
      this.state.resetBotToken(application.id);
      return connection.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
    }
    this.identifies.set(application.id, this.countIdentifies(application.id) + 1);
    const session = new GatewaySession(randomBytes(16).toString('hex'), application, verdict.intents, verdict.shard);
    this.sessions.set(session.id, session);
    connection.session = session;
    session.attach(connection);
    session.record(GatewayDispatchEvents.Ready, buildReady(this.state, session, this.resumeGatewayUrl(), 10));
    if ((session.intents & GatewayIntentBits.Guilds) === 0) return;
    for (const guildId of listSessionGuildIds(this.state, session)) {
      session.record(GatewayDispatchEvents.GuildCreate, buildGuildCreate(this.state, guildId, session));
    }
  }

  /** Events › Gateway › Resuming: replay what was missed after `seq`, then RESUMED. */
  resume(connection: GatewayConnection, data: unknown): void {
    const fault = this.state.faults.takeGatewayFault('close', 'resume');
    if (fault) return connection.close(fault.code, 'Injected fault.');
    if (!isRecord(data) || typeof data.session_id !== 'string' || (data.seq !== null && typeof data.seq !== 'number')) {
      return connection.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
    }
    const application = findBotApplication(this.state, data.token);
    if (!application) return connection.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
    const session = this.sessions.get(data.session_id);
    if (!session?.isResumable || session.application.id !== application.id) {
      return connection.send({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
    }
    const seq = data.seq ?? 0;
    if (seq > session.seq) {
      session.isResumable = false;
      return connection.close(GatewayCloseCodes.InvalidSeq, 'Invalid seq.');
    }
    for (const other of this.connections) {
      if (other !== connection && other.session === session) {
        other.session = undefined;
        session.detach(other);
        other.terminate();
      }
    }
    this.resumes.set(application.id, this.countResumes(application.id) + 1);
    connection.session = session;
    session.attach(connection);
    session.replayAfter(seq);
    session.record(GatewayDispatchEvents.Resumed, null);
  }

  requestGuildMembers(connection: GatewayConnection, data: unknown): void {
    const session = connection.session!;
    const request = checkGuildMembersRequest(data, session.intents);
    if (typeof request === 'number') return connection.close(request, 'Invalid request.');
    const store = this.state.guildStore;
    let members = store.listMembers(request.guildId);
    if (request.userIds) members = members.filter((member) => request.userIds!.includes(member.user_id));
    else if (request.query) members = members.filter((member) => this.state.findUser(member.user_id)?.username.startsWith(request.query!));
    if (request.limit > 0) members = members.slice(0, request.limit);
    const found = new Set(members.map((member) => member.user_id));
    session.record(GatewayDispatchEvents.GuildMembersChunk, {
      guild_id: request.guildId,
      members: members.map((member) => store.toMemberPayload(member)),
      chunk_index: 0,
      chunk_count: 1,
      ...(request.userIds ? { not_found: request.userIds.filter((id) => !found.has(id)) } : {}),
      ...(request.nonce ? { nonce: request.nonce } : {}),
    });
  }

  onConnectionClosed(connection: GatewayConnection, code: number): void {
    this.connections.delete(connection);
    const session = connection.session;
    if (!session) return;
    session.detach(connection);
    if (SESSION_ENDING_CODES.has(code)) session.isResumable = false;
  }

  /** Hands a dispatch to every session of the named applications that may receive it. */
  deliver(dispatch: GatewayDispatch): void {
    for (const session of this.sessions.values()) {
      if (!dispatch.applicationIds.includes(session.application.id)) continue;
      if (!session.isConnected && !session.isResumable) continue;
      if (!isGuildOnShard(dispatch.guildId, session.shard)) continue;
      const intent = requiredIntent(dispatch.event, dispatch.data);
      if (intent !== 0 && (session.intents & intent) === 0) continue;
      // A guild the state knows is rendered per session: its member list depends on the session's intents.
      const guildCreate =
        dispatch.event === GatewayDispatchEvents.GuildCreate && dispatch.guildId
          ? buildGuildCreate(this.state, dispatch.guildId, session)
          : undefined;
      const botId = session.application.bot!.user.id;
      session.record(dispatch.event, guildCreate ?? hideMessageContent(dispatch.event, structuredClone(dispatch.data), session.intents, botId));
    }
  }

  countIdentifies(applicationId: string): number {
    return this.identifies.get(applicationId) ?? 0;
  }

  countResumes(applicationId: string): number {
    return this.resumes.get(applicationId) ?? 0;
  }

  connectionsOf(applicationId: string): GatewayConnection[] {
    return [...this.connections].filter((connection) => connection.session?.application.id === applicationId);
  }

  stop(): void {
    this.unsubscribe();
    for (const connection of this.connections) connection.terminate();
  }
}
