import { UserPremiumType, type APIUser, type UserFlags } from 'discord-api-types/v10';

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

/** A flags bitfield with no bit set; the UserFlags enum has no member for zero. */
const NO_USER_FLAGS = 0 as UserFlags;

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

/** The public user object embedded in members, messages and events: no private fields. */
export function toPublicUser(user: StandinUser): APIUser {
  const { id, username, discriminator, global_name, avatar, bot } = toApiUser(user, false);
  return { id, username, discriminator, global_name, avatar, ...(bot ? { bot } : {}), public_flags: 0 as UserFlags };
}
