import { AppError, CoreErrors, newId, randomToken, sha256Hex } from '@weft/kernel';
import type { Principal } from '@weft/http';
import type { AccountsContext, RequestMeta } from './accounts.context';
import { AccountsErrors } from './accounts.errors';
import { SCOPE_PATTERN } from '@weft/contracts';
import { findLiveApiTokenByHash, insertApiToken, listApiTokensOf, revokeApiTokenOf, touchApiToken, type ApiTokenRow } from './sessions.repository';
import { findUserById } from './users.repository';

/** Every token starts with this, so secret scanners (and people) recognise a leaked one. */
export const API_TOKEN_PREFIX = 'weft_';
const SHOWN_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 6;
/** Grants instance-administrator rights to a token of an administrator; nothing else does. */
export const ADMIN_SCOPE = 'admin';

function isScopeValid(scope: string): boolean {
  return scope.length <= 64 && SCOPE_PATTERN.test(scope);
}

export interface CreateApiTokenInput {
  userId: string;
  /** Workspace id or slug, resolved through the workspaces module. */
  workspaceRef: string;
  name: string;
  scopes: string[];
  expiresAt?: Date | null;
}

export type ApiTokenSummary = Omit<ApiTokenRow, 'tokenHash'>;

export function createApiTokensService(context: AccountsContext) {
  const { clock, database } = context;
  const summarize = ({ tokenHash: _hash, ...summary }: ApiTokenRow): ApiTokenSummary => summary;

  return {
    /** Returns the secret once; only its SHA-256 is stored. */
    async createApiToken(input: CreateApiTokenInput, meta: RequestMeta | null): Promise<{ token: ApiTokenSummary; secret: string }> {
      const now = clock.now();
      // Routes check these too; the CLI reaches this function directly.
      const name = input.name.trim();
      if (name.length === 0 || name.length > 100 || input.scopes.length === 0 || input.scopes.some((scope) => !isScopeValid(scope))) {
        throw new AppError(CoreErrors.VALIDATION_FAILED, 'A token needs a name (1-100 characters) and scopes such as workflows:read', {
          invalidScopes: input.scopes.filter((scope) => !isScopeValid(scope)),
        });
      }
      if (input.expiresAt && input.expiresAt <= now) {
        throw new AppError(AccountsErrors.ACCOUNTS_API_TOKEN_EXPIRY_INVALID, 'expiresAt must be in the future');
      }
      const user = await findUserById(database.db, input.userId);
      if (!user || user.deactivatedAt) throw new AppError(AccountsErrors.ACCOUNTS_USER_NOT_FOUND, 'No such user');
      const workspaceId = await context.resolveWorkspaceForToken(input.userId, input.workspaceRef);
      const secret = `${API_TOKEN_PREFIX}${randomToken(32)}`;
      const token = await database.transaction(async (tx) => {
        const row = await insertApiToken(tx, {
          id: newId(),
          userId: input.userId,
          workspaceId,
          name,
          tokenHash: sha256Hex(secret),
          prefix: secret.slice(0, SHOWN_PREFIX_LENGTH),
          scopes: [...new Set(input.scopes)],
          createdAt: now,
          expiresAt: input.expiresAt ?? null,
        });
        await context.audit.recordAudit(
          {
            actor: { type: 'user', id: input.userId },
            action: 'api-token.created',
            target: { type: 'api_token', id: row.id },
            workspaceId,
            ip: meta?.ip ?? null,
            details: { name, scopes: row.scopes },
          },
          tx,
        );
        return row;
      });
      return { token: summarize(token), secret };
    },

    async listApiTokens(userId: string): Promise<ApiTokenSummary[]> {
      return (await listApiTokensOf(database.db, userId)).map(summarize);
    },

    async revokeApiToken(userId: string, tokenId: string, meta: RequestMeta): Promise<void> {
      await database.transaction(async (tx) => {
        const isRevoked = await revokeApiTokenOf(tx, userId, tokenId, clock.now());
        if (!isRevoked) throw new AppError(AccountsErrors.ACCOUNTS_API_TOKEN_NOT_FOUND, 'No such API token');
        await context.audit.recordAudit(
          { actor: { type: 'user', id: userId }, action: 'api-token.revoked', target: { type: 'api_token', id: tokenId }, ip: meta.ip },
          tx,
        );
      });
    },

    /** The principal of a bearer token, or null when it is unknown, expired, revoked or its user deactivated. */
    async findTokenPrincipal(secret: string): Promise<Principal | null> {
      if (!secret.startsWith(API_TOKEN_PREFIX)) return null;
      const now = clock.now();
      const found = await findLiveApiTokenByHash(database.db, sha256Hex(secret), now);
      if (!found || found.user.deactivatedAt) return null;
      await touchApiToken(database.db, found.token.id, now);
      return {
        userId: found.user.id,
        isAdmin: found.user.isAdmin && found.token.scopes.includes(ADMIN_SCOPE),
        via: 'token',
        tokenId: found.token.id,
        scopes: found.token.scopes,
        tokenWorkspaceId: found.token.workspaceId,
      };
    },
  };
}

export type ApiTokensService = ReturnType<typeof createApiTokensService>;
