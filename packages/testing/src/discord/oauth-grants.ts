import { randomToken, type Clock } from '@weft/kernel';

/**
 * Codes live at most ten minutes, as RFC 6749 §4.1.2 recommends; Discord's
 * codes are short-lived and single use.
 */
export const AUTHORIZATION_CODE_LIFETIME_SECONDS = 600;
/** Discord's access tokens last seven days (Topics › OAuth2 › Access Token Response). */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 604_800;

export interface AuthorizationCode {
  code: string;
  applicationId: string;
  userId: string;
  scopes: string[];
  /** The redirect URI the user was sent back to. */
  redirectUri: string;
  /** RFC 6749 §4.1.3: when the authorization request named a redirect_uri, the token request must repeat it. */
  isRedirectUriRequired: boolean;
  expiresAt: number;
}

export interface AccessGrant {
  accessToken: string;
  refreshToken: string;
  applicationId: string;
  userId: string;
  scopes: string[];
  expiresAt: number;
}

export interface IssueCodeInput {
  applicationId: string;
  userId: string;
  scopes: string[];
  redirectUri: string;
  isRedirectUriRequired: boolean;
}

export interface IssueTokensInput {
  applicationId: string;
  userId: string;
  scopes: string[];
}

/** Authorization codes, access tokens and refresh tokens the stand-in has handed out. */
export class OAuthGrants {
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly grantsByAccessToken = new Map<string, AccessGrant>();
  private readonly grantsByRefreshToken = new Map<string, AccessGrant>();

  constructor(private readonly clock: Clock) {}

  issueCode(input: IssueCodeInput): AuthorizationCode {
    const code: AuthorizationCode = {
      ...input,
      code: randomToken(20),
      expiresAt: this.nowMs() + AUTHORIZATION_CODE_LIFETIME_SECONDS * 1000,
    };
    this.codes.set(code.code, code);
    return code;
  }

  /** A code is spent by the first exchange attempt, whatever its outcome: codes are single use. */
  takeCode(code: string): AuthorizationCode | undefined {
    const found = this.codes.get(code);
    this.codes.delete(code);
    if (!found || found.expiresAt <= this.nowMs()) return undefined;
    return found;
  }

  /** Also usable by tests that need a signed-in user without walking the authorize step. */
  issueTokens(input: IssueTokensInput): AccessGrant {
    const grant: AccessGrant = {
      ...input,
      scopes: [...input.scopes],
      accessToken: randomToken(22),
      refreshToken: randomToken(22),
      expiresAt: this.nowMs() + ACCESS_TOKEN_LIFETIME_SECONDS * 1000,
    };
    this.grantsByAccessToken.set(grant.accessToken, grant);
    this.grantsByRefreshToken.set(grant.refreshToken, grant);
    return grant;
  }

  findByAccessToken(accessToken: string): AccessGrant | undefined {
    const grant = this.grantsByAccessToken.get(accessToken);
    if (!grant || grant.expiresAt <= this.nowMs()) return undefined;
    return grant;
  }

  findByRefreshToken(refreshToken: string): AccessGrant | undefined {
    return this.grantsByRefreshToken.get(refreshToken);
  }

  /**
   * A refresh hands out a new pair and retires the old refresh token; the old
   * access token keeps working until it expires or is revoked.
   */
  refresh(refreshToken: string): AccessGrant | undefined {
    const previous = this.grantsByRefreshToken.get(refreshToken);
    if (!previous) return undefined;
    this.grantsByRefreshToken.delete(refreshToken);
    return this.issueTokens({ applicationId: previous.applicationId, userId: previous.userId, scopes: previous.scopes });
  }

  /**
   * Discord: "When any valid access or refresh token is revoked, all of your
   * application's access and refresh tokens for that user are immediately
   * invalidated" (Topics › OAuth2 › Token Revocation).
   */
  revokeAllFor(applicationId: string, userId: string): void {
    for (const grants of [this.grantsByAccessToken, this.grantsByRefreshToken]) {
      for (const [token, grant] of grants) {
        if (grant.applicationId === applicationId && grant.userId === userId) grants.delete(token);
      }
    }
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }
}
