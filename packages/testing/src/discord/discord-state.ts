import { randomBytes } from 'node:crypto';
import { PermissionFlagsBits, UserPremiumType, type APIUser, type GuildFeature, type UserFlags } from 'discord-api-types/v10';
import { randomToken, systemClock, type Clock } from '@weft/kernel';
import { FaultQueue } from './fault-queue';
import { OAuthGrants } from './oauth-grants';
import { RateLimitBuckets } from './rate-limit-buckets';
import type { RecordedRequest } from './request-log';
import { createSnowflakeGenerator } from './snowflake';

/** A user as Discord stores it; replies pick the fields a token's scopes allow. */
export interface StandinUser {
  id: string;
  username: string;
  global_name: string | null;
  avatar: string | null;
  email: string | null;
  verified: boolean;
  bot: boolean;
}

export interface StandinGuild {
  id: string;
  name: string;
  owner_id: string;
  icon: string | null;
  banner: string | null;
  features: GuildFeature[];
}

export interface StandinApplication {
  /** Also the OAuth2 client_id. */
  id: string;
  name: string;
  client_secret: string;
  redirect_uris: string[];
  /** Hex Ed25519 key; a placeholder until signed interactions are served. */
  public_key: string;
  bot?: { user: StandinUser; token: string };
}

export interface SeedUser {
  id?: string;
  username: string;
  global_name?: string | null;
  avatar?: string | null;
  email?: string | null;
  verified?: boolean;
}

export interface SeedMember {
  user_id: string;
  /** Total permissions of the member's roles, as a bitfield (e.g. `PermissionFlagsBits.ManageGuild`). */
  permissions?: bigint | string;
}

export interface SeedGuild {
  id?: string;
  name: string;
  owner_id: string;
  icon?: string | null;
  /** The owner is always a member; list everyone else here or call `addMember`. */
  members?: SeedMember[];
}

export interface SeedApplication {
  id?: string;
  name?: string;
  client_secret?: string;
  redirect_uris?: string[];
  /** Give the application a bot user and a bot token. */
  bot?: boolean | { username?: string };
}

export interface GuildMembership {
  guild: StandinGuild;
  isOwner: boolean;
  /** Computed like Discord's base permissions: owners and administrators hold every permission. */
  permissions: bigint;
}

/** A flags bitfield with no bit set; the UserFlags enum has no member for zero. */
const NO_USER_FLAGS = 0 as UserFlags;
const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

export interface DiscordStateOptions {
  clock?: Clock;
}

/** Everything the stand-in knows: seeded by tests, read and changed by the routes. */
export class DiscordState {
  readonly clock: Clock;
  readonly newSnowflake: () => string;
  /** Faults to inject, each into one matching request. */
  readonly faults = new FaultQueue();
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  readonly oauth: OAuthGrants;
  readonly rateLimits: RateLimitBuckets;

  private readonly users = new Map<string, StandinUser>();
  private readonly guilds = new Map<string, StandinGuild>();
  /** guild id → user id → permissions from roles. */
  private readonly members = new Map<string, Map<string, bigint>>();
  private readonly applications = new Map<string, StandinApplication>();
  private readonly applicationsByBotToken = new Map<string, StandinApplication>();
  private authorizingUserId: string | undefined;
  private isNextAuthorizationDenied = false;

  constructor(options: DiscordStateOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.newSnowflake = createSnowflakeGenerator(this.clock);
    this.oauth = new OAuthGrants(this.clock);
    this.rateLimits = new RateLimitBuckets(this.clock);
  }

  addUser(seed: SeedUser): StandinUser {
    return this.storeUser({ ...seed, bot: false });
  }

  addGuild(seed: SeedGuild): StandinGuild {
    this.requireUser(seed.owner_id);
    const guild: StandinGuild = {
      id: seed.id ?? this.newSnowflake(),
      name: seed.name,
      owner_id: seed.owner_id,
      icon: seed.icon ?? null,
      banner: null,
      features: [],
    };
    this.guilds.set(guild.id, guild);
    this.members.set(guild.id, new Map());
    this.addMember(guild.id, seed.owner_id);
    for (const member of seed.members ?? []) this.addMember(guild.id, member.user_id, member.permissions);
    return guild;
  }

  addMember(guildId: string, userId: string, permissions: bigint | string = 0n): void {
    this.requireUser(userId);
    const members = this.members.get(guildId);
    if (!members) throw new Error(`Discord stand-in: no guild ${guildId}`);
    members.set(userId, BigInt(permissions));
  }

  addApplication(seed: SeedApplication = {}): StandinApplication {
    const application: StandinApplication = {
      id: seed.id ?? this.newSnowflake(),
      name: seed.name ?? 'Weft Test Application',
      client_secret: seed.client_secret ?? randomToken(24),
      redirect_uris: [...(seed.redirect_uris ?? [])],
      public_key: randomBytes(32).toString('hex'),
    };
    if (seed.bot) {
      const username = (typeof seed.bot === 'object' && seed.bot.username) || application.name;
      const user = this.storeUser({ username, bot: true, verified: true });
      // Discord bot tokens start with the bot's user id in base64, then two opaque parts.
      const token = `${Buffer.from(user.id).toString('base64url')}.${randomToken(4)}.${randomToken(27)}`;
      application.bot = { user, token };
      this.applicationsByBotToken.set(token, application);
    }
    this.applications.set(application.id, application);
    return application;
  }

  findUser(id: string): StandinUser | undefined {
    return this.users.get(id);
  }

  findGuild(id: string): StandinGuild | undefined {
    return this.guilds.get(id);
  }

  findApplication(id: string): StandinApplication | undefined {
    return this.applications.get(id);
  }

  findApplicationByBotToken(token: string): StandinApplication | undefined {
    return this.applicationsByBotToken.get(token);
  }

  countMembers(guildId: string): number {
    return this.members.get(guildId)?.size ?? 0;
  }

  /** The guilds a user belongs to, oldest guild first (ids sort by creation). */
  listMemberships(userId: string): GuildMembership[] {
    const memberships: GuildMembership[] = [];
    for (const [guildId, members] of this.members) {
      const rolePermissions = members.get(userId);
      const guild = this.guilds.get(guildId);
      if (rolePermissions === undefined || !guild) continue;
      const isOwner = guild.owner_id === userId;
      const isAdministrator = (rolePermissions & PermissionFlagsBits.Administrator) !== 0n;
      memberships.push({ guild, isOwner, permissions: isOwner || isAdministrator ? ALL_PERMISSIONS : rolePermissions });
    }
    return memberships.sort((a, b) => compareSnowflakes(a.guild.id, b.guild.id));
  }

  /** Who "logs in" at /oauth2/authorize: there is no human to type a password. */
  setAuthorizingUser(userId: string): void {
    this.requireUser(userId);
    this.authorizingUserId = userId;
  }

  /** The chosen user, else the first human user seeded. */
  findAuthorizingUser(): StandinUser | undefined {
    if (this.authorizingUserId) return this.users.get(this.authorizingUserId);
    return [...this.users.values()].find((user) => !user.bot);
  }

  /** The next authorization is answered as if the user pressed "Cancel". */
  setNextAuthorizationDenied(): void {
    this.isNextAuthorizationDenied = true;
  }

  takeIsAuthorizationDenied(): boolean {
    const isDenied = this.isNextAuthorizationDenied;
    this.isNextAuthorizationDenied = false;
    return isDenied;
  }

  private storeUser(seed: SeedUser & { bot: boolean }): StandinUser {
    const user: StandinUser = {
      id: seed.id ?? this.newSnowflake(),
      username: seed.username,
      global_name: seed.global_name ?? null,
      avatar: seed.avatar ?? null,
      email: seed.email ?? null,
      verified: seed.verified ?? true,
      bot: seed.bot,
    };
    this.users.set(user.id, user);
    return user;
  }

  private requireUser(userId: string): StandinUser {
    const user = this.users.get(userId);
    if (!user) throw new Error(`Discord stand-in: no user ${userId}; seed it with addUser() first`);
    return user;
  }
}

export function compareSnowflakes(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** The user object of Users › User Object; `email` and `verified` only when the caller may see them. */
export function toApiUser(user: StandinUser, includeEmail: boolean): APIUser {
  const apiUser: APIUser = {
    id: user.id,
    username: user.username,
    // Users on the new username system have the discriminator "0" (Users › User Object).
    discriminator: '0',
    global_name: user.global_name,
    avatar: user.avatar,
    banner: null,
    accent_color: null,
    mfa_enabled: false,
    locale: 'en-US',
    flags: NO_USER_FLAGS,
    public_flags: NO_USER_FLAGS,
    premium_type: UserPremiumType.None,
  };
  if (user.bot) apiUser.bot = true;
  if (includeEmail) {
    apiUser.email = user.email;
    apiUser.verified = user.verified;
  }
  return apiUser;
}
