import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { randomToken, systemClock, type Clock } from '@weft/kernel';
import { CommandStore } from './command-store';
import { DispatchBus } from './dispatch-bus';
import { FaultQueue } from './fault-queue';
import type { StandinGuild } from './guild-entities';
import { GuildStore, type MemberOptions, type SeedChannel, type SeedRole } from './guild-store';
import { InteractionStore } from './interaction-store';
import { MessageStore } from './message-store';
import { OAuthGrants } from './oauth-grants';
import { RateLimitBuckets } from './rate-limit-buckets';
import type { RecordedRequest } from './request-log';
import { createSnowflakeGenerator } from './snowflake';
import { compareSnowflakes, type StandinUser } from './user-entities';

export type { StandinGuild } from './guild-entities';
export { compareSnowflakes, toApiUser, type StandinUser } from './user-entities';

export interface StandinApplication {
  /** Also the OAuth2 client_id. */
  id: string;
  name: string;
  client_secret: string;
  redirect_uris: string[];
  /** Hex of the raw 32-byte Ed25519 public key, as the Developer Portal shows it. */
  public_key: string;
  /** Signs the interactions sent to the application's endpoint. */
  signingKey: KeyObject;
  /** Privileged intents switched on in the Developer Portal (GatewayIntentBits), e.g. GuildMembers | MessageContent. */
  privilegedIntents: number;
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
  /** Total permissions, given to the member through a role created for them (e.g. `PermissionFlagsBits.ManageGuild`). */
  permissions?: bigint | string;
  roles?: string[];
}

export interface SeedGuild {
  id?: string;
  name: string;
  owner_id: string;
  icon?: string | null;
  /** The @everyone role's permissions; none by default. */
  everyone_permissions?: bigint | string;
  roles?: SeedRole[];
  channels?: SeedChannel[];
  /** The owner is always a member; list everyone else here or call `addMember`. */
  members?: SeedMember[];
}

export interface SeedApplication {
  id?: string;
  name?: string;
  client_secret?: string;
  redirect_uris?: string[];
  /** Give the application a bot user and a bot token. */
  bot?: boolean | { id?: string; username?: string; token?: string };
  privilegedIntents?: number;
  /** A fixed key pair, e.g. to keep a printed public key stable across restarts. */
  signingKey?: KeyObject;
}

export interface GuildMembership {
  guild: StandinGuild;
  isOwner: boolean;
  /** Computed like Discord's base permissions: owners and administrators hold every permission. */
  permissions: bigint;
}

export interface DiscordStateOptions {
  clock?: Clock;
}

/** Everything the stand-in knows: seeded by tests, read and changed by the routes and the gateway. */
export class DiscordState {
  readonly clock: Clock;
  readonly newSnowflake: () => string;
  /** Faults to inject, each into one matching request or gateway connection. */
  readonly faults = new FaultQueue();
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  readonly oauth: OAuthGrants;
  readonly rateLimits: RateLimitBuckets;
  /** Gateway events produced by changes, on their way to the connected bots. */
  readonly bus = new DispatchBus();
  readonly guildStore: GuildStore;
  readonly messages: MessageStore;
  readonly commands: CommandStore;
  readonly interactions: InteractionStore;

  private readonly users = new Map<string, StandinUser>();
  private readonly applications = new Map<string, StandinApplication>();
  private readonly applicationsByBotToken = new Map<string, StandinApplication>();
  private readonly applicationIdsByBotUser = new Map<string, string>();
  private authorizingUserId: string | undefined;
  private isNextAuthorizationDenied = false;

  constructor(options: DiscordStateOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.newSnowflake = createSnowflakeGenerator(this.clock);
    this.oauth = new OAuthGrants(this.clock);
    this.rateLimits = new RateLimitBuckets(this.clock);
    const context = {
      clock: this.clock,
      newSnowflake: this.newSnowflake,
      bus: this.bus,
      findUser: (id: string) => this.users.get(id),
      findApplicationIdOfBot: (userId: string) => this.applicationIdsByBotUser.get(userId),
    };
    this.guildStore = new GuildStore(context);
    this.messages = new MessageStore(context, this.guildStore);
    this.commands = new CommandStore(this.newSnowflake);
    this.interactions = new InteractionStore(this.clock);
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
      created_at: this.clock.now().toISOString(),
    };
    this.guildStore.createGuild(guild, BigInt(seed.everyone_permissions ?? 0n));
    for (const role of seed.roles ?? []) this.guildStore.addRole(guild.id, role);
    for (const channel of seed.channels ?? []) this.guildStore.addChannel(guild.id, channel);
    this.addMember(guild.id, seed.owner_id);
    for (const member of seed.members ?? []) {
      this.addMember(guild.id, member.user_id, { roles: member.roles, permissions: member.permissions });
    }
    return guild;
  }

  /**
   * Adds a member (announced as GUILD_MEMBER_ADD; a bot's application gets GUILD_CREATE).
   * `permissions` is given through a role holding exactly those permissions.
   */
  addMember(guildId: string, userId: string, options: bigint | string | (MemberOptions & { permissions?: bigint | string }) = {}) {
    this.requireUser(userId);
    const { permissions, ...memberOptions } = typeof options === 'object' ? options : { permissions: options };
    const roles = [...(memberOptions.roles ?? [])];
    if (permissions !== undefined && BigInt(permissions) !== 0n) roles.push(this.findOrCreatePermissionRole(guildId, BigInt(permissions)));
    return this.guildStore.addMember(guildId, userId, { ...memberOptions, roles });
  }

  addApplication(seed: SeedApplication = {}): StandinApplication {
    const signingKey = seed.signingKey ?? generateKeyPairSync('ed25519').privateKey;
    const application: StandinApplication = {
      id: seed.id ?? this.newSnowflake(),
      name: seed.name ?? 'Weft Test Application',
      client_secret: seed.client_secret ?? randomToken(24),
      redirect_uris: [...(seed.redirect_uris ?? [])],
      public_key: toRawPublicKeyHex(signingKey),
      signingKey,
      privilegedIntents: seed.privilegedIntents ?? 0,
    };
    if (seed.bot) {
      const options = typeof seed.bot === 'object' ? seed.bot : {};
      const user = this.storeUser({ id: options.id, username: options.username || application.name, bot: true, verified: true });
      application.bot = { user, token: options.token ?? newBotToken(user.id) };
      this.applicationsByBotToken.set(application.bot.token, application);
      this.applicationIdsByBotUser.set(user.id, application.id);
    }
    this.applications.set(application.id, application);
    return application;
  }

  /** Like "Reset Token" in the Developer Portal: the old token stops working at once. Returns the new token. */
  resetBotToken(applicationId: string): string {
    const application = this.requireBotApplication(applicationId);
    this.applicationsByBotToken.delete(application.bot.token);
    application.bot.token = newBotToken(application.bot.user.id);
    this.applicationsByBotToken.set(application.bot.token, application);
    return application.bot.token;
  }

  /** Revokes the bot token without issuing a new one usable by the client under test. */
  revokeBotToken(applicationId: string): void {
    this.resetBotToken(applicationId);
  }

  setPrivilegedIntents(applicationId: string, intents: number): void {
    const application = this.applications.get(applicationId);
    if (!application) throw new Error(`Discord stand-in: no application ${applicationId}`);
    application.privilegedIntents = intents;
  }

  findUser(id: string): StandinUser | undefined {
    return this.users.get(id);
  }

  findGuild(id: string): StandinGuild | undefined {
    return this.guildStore.guilds.get(id);
  }

  findApplication(id: string): StandinApplication | undefined {
    return this.applications.get(id);
  }

  findApplicationByBotToken(token: string): StandinApplication | undefined {
    return this.applicationsByBotToken.get(token);
  }

  countMembers(guildId: string): number {
    return this.guildStore.listMembers(guildId).length;
  }

  /** The guilds a user belongs to, oldest guild first (ids sort by creation). */
  listMemberships(userId: string): GuildMembership[] {
    const memberships: GuildMembership[] = [];
    for (const guild of this.guildStore.guilds.values()) {
      if (!this.guildStore.findMember(guild.id, userId)) continue;
      const permissions = this.guildStore.computePermissions(guild.id, userId);
      memberships.push({ guild, isOwner: guild.owner_id === userId, permissions });
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

  private findOrCreatePermissionRole(guildId: string, permissions: bigint): string {
    const name = `Permissions ${permissions}`;
    const existing = this.guildStore.listRoles(guildId).find((role) => role.name === name && role.permissions === permissions);
    return (existing ?? this.guildStore.addRole(guildId, { name, permissions })).id;
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

  private requireBotApplication(applicationId: string): StandinApplication & { bot: NonNullable<StandinApplication['bot']> } {
    const application = this.applications.get(applicationId);
    if (!application?.bot) throw new Error(`Discord stand-in: application ${applicationId} has no bot`);
    return application as StandinApplication & { bot: NonNullable<StandinApplication['bot']> };
  }
}

/** Discord bot tokens start with the bot's user id in base64, then two opaque parts. */
function newBotToken(userId: string): string {
  return `${Buffer.from(userId).toString('base64url')}.${randomToken(4)}.${randomToken(27)}`;
}

/** The DER SPKI export of an Ed25519 key ends with the 32 raw key bytes, which Discord shows as hex. */
function toRawPublicKeyHex(privateKey: KeyObject): string {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('Discord stand-in: signing keys are Ed25519');
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
}
