import { AppError, hashIpAddress, newId, randomToken, sha256Hex } from '@weft/kernel';
import type { DbExecutor } from '@weft/db';
import type { Principal } from '@weft/http';
import { SESSION_LIFETIME_MS, type AccountsContext, type RequestMeta } from './accounts.context';
import { AccountsErrors } from './accounts.errors';
import { describeDevice } from './describe-device';
import {
  findDeviceHistory,
  findLiveSessionByTokenHash,
  insertSession,
  listLiveSessionsOf,
  revokeSessionOf,
  slideSession,
} from './sessions.repository';
import { touchUserLastActive } from './users.repository';

export interface StartedSession {
  id: string;
  /** The cookie value; only its SHA-256 is stored. */
  token: string;
  expiresAt: Date;
  /** The user had signed in before, but never from this network and browser. */
  isNewDevice: boolean;
}

/** Sliding expiry is written at most once a minute per session, not on every request. */
const SLIDE_EVERY_MS = 60_000;
const USER_AGENT_MAX = 400;

export function createSessionsService(context: AccountsContext) {
  const { clock, database } = context;

  return {
    async startSession(executor: DbExecutor, userId: string, meta: RequestMeta): Promise<StartedSession> {
      const now = clock.now();
      const token = randomToken(32);
      const ipHash = hashIpAddress(meta.ip, context.keys.ipHashKey);
      const userAgent = meta.userAgent?.slice(0, USER_AGENT_MAX) ?? null;
      const history = await findDeviceHistory(executor, userId, ipHash, userAgent);
      const session = { id: newId(), token, expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS) };
      await insertSession(executor, {
        id: session.id,
        userId,
        tokenHash: sha256Hex(token),
        createdAt: now,
        lastSeenAt: now,
        expiresAt: session.expiresAt,
        ipHash,
        userAgent,
        location: meta.location ?? null,
      });
      return { ...session, isNewDevice: history.hasAnySession && !history.hasSeenDevice };
    },

    /**
     * The principal behind a session cookie, or null when the session is
     * unknown, over, or its user deactivated. `slidTo` is set when the expiry
     * moved, so the cookie can be renewed.
     */
    async findSessionPrincipal(token: string): Promise<{ principal: Principal; slidTo: Date | null } | null> {
      const now = clock.now();
      const found = await findLiveSessionByTokenHash(database.db, sha256Hex(token), now);
      if (!found || found.user.deactivatedAt) return null;
      const { session, user } = found;
      let slidTo: Date | null = null;
      if (now.getTime() - session.lastSeenAt.getTime() >= SLIDE_EVERY_MS) {
        slidTo = new Date(now.getTime() + SESSION_LIFETIME_MS);
        await slideSession(database.db, session.id, now, slidTo);
        await touchUserLastActive(database.db, user.id, now);
      }
      return { principal: { userId: user.id, isAdmin: user.isAdmin, via: 'session', sessionId: session.id }, slidTo };
    },

    async listSessions(userId: string, currentSessionId: string | undefined) {
      const rows = await listLiveSessionsOf(database.db, userId, clock.now());
      return rows.map((row) => ({
        id: row.id,
        device: describeDevice(row.userAgent),
        userAgent: row.userAgent,
        location: row.location,
        createdAt: row.createdAt,
        lastSeenAt: row.lastSeenAt,
        expiresAt: row.expiresAt,
        isCurrent: row.id === currentSessionId,
      }));
    },

    async revokeSession(userId: string, sessionId: string): Promise<void> {
      const isRevoked = await revokeSessionOf(database.db, userId, sessionId, clock.now());
      // Someone else's session id answers like a missing one: ids leak nothing.
      if (!isRevoked) throw new AppError(AccountsErrors.ACCOUNTS_SESSION_NOT_FOUND, 'No such session');
    },
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
