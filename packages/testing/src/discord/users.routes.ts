import {
  OAuth2Scopes,
  RESTJSONErrorCodes,
  type RESTAPIPartialCurrentUserGuild,
  type RESTGetAPICurrentUserGuildsResult,
  type RESTGetAPICurrentUserResult,
} from 'discord-api-types/v10';
import type { DiscordRouter, RouteReply, RouteRequest } from './discord-router';
import { replyJson, replyUnauthorized } from './discord-replies';
import { compareSnowflakes, toApiUser, type DiscordState, type GuildMembership } from './discord-state';
import { findCaller, hasScope } from './request-auth';

/** Default and maximum of `limit` on Get Current User Guilds (Users › Get Current User Guilds). */
const MAX_GUILDS_PER_PAGE = 200;

/** The current-user routes of Users: who the token belongs to and which guilds they are in. */
export function registerUserRoutes(router: DiscordRouter, state: DiscordState): void {
  router.add(
    { method: 'GET', path: '/users/@me', reply: (request) => showCurrentUser(request, state) },
    { method: 'GET', path: '/users/@me/guilds', reply: (request) => listCurrentUserGuilds(request, state) },
  );
}

/**
 * Users › Get Current User. A Bearer token needs `identify` (or `email`);
 * `email` and `verified` appear only with the `email` scope (Topics › OAuth2 ›
 * OAuth2 Scopes). A missing scope is answered like a bad token: 401.
 */
function showCurrentUser(request: RouteRequest, state: DiscordState): RouteReply {
  const caller = findCaller(request.headers, state);
  if (!caller || !hasScope(caller, OAuth2Scopes.Identify, OAuth2Scopes.Email)) return replyUnauthorized();
  const result: RESTGetAPICurrentUserResult = toApiUser(caller.user, hasScope(caller, OAuth2Scopes.Email));
  return replyJson(result);
}

/**
 * Users › Get Current User Guilds: partial guilds with `owner` and the
 * caller's `permissions` as a string bitfield. Bearer tokens need `guilds`.
 */
function listCurrentUserGuilds(request: RouteRequest, state: DiscordState): RouteReply {
  const caller = findCaller(request.headers, state);
  if (!caller || !hasScope(caller, OAuth2Scopes.Guilds)) return replyUnauthorized();

  const limitText = request.query.get('limit');
  const limit = limitText === null ? MAX_GUILDS_PER_PAGE : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_GUILDS_PER_PAGE) {
    return replyInvalidLimit(limit > MAX_GUILDS_PER_PAGE);
  }
  const before = request.query.get('before');
  const after = request.query.get('after');
  const isWithCounts = request.query.get('with_counts') === 'true';

  let memberships = state.listMemberships(caller.user.id);
  if (before) memberships = memberships.filter((membership) => compareSnowflakes(membership.guild.id, before) < 0);
  if (after) memberships = memberships.filter((membership) => compareSnowflakes(membership.guild.id, after) > 0);
  // Paging backwards keeps the guilds nearest the cursor; forwards, the first ones after it.
  const page = before && !after ? memberships.slice(-limit) : memberships.slice(0, limit);

  const result: RESTGetAPICurrentUserGuildsResult = page.map((membership) =>
    toPartialGuild(membership, isWithCounts ? state.countMembers(membership.guild.id) : undefined),
  );
  return replyJson(result);
}

/** `memberCount` is given when the client asked `with_counts=true`. */
function toPartialGuild(membership: GuildMembership, memberCount: number | undefined): RESTAPIPartialCurrentUserGuild {
  const { guild } = membership;
  const partial: RESTAPIPartialCurrentUserGuild = {
    id: guild.id,
    name: guild.name,
    icon: guild.icon,
    banner: guild.banner,
    owner: membership.isOwner,
    permissions: membership.permissions.toString(),
    features: guild.features,
  };
  if (memberCount !== undefined) {
    partial.approximate_member_count = memberCount;
    // Presence needs the gateway; nobody is online in the stand-in yet.
    partial.approximate_presence_count = 0;
  }
  return partial;
}

/** Discord's form-validation error (Reference › Error Messages: code 50035 with per-field `_errors`). */
function replyInvalidLimit(isTooLarge: boolean): RouteReply {
  const error = isTooLarge
    ? { code: 'NUMBER_TYPE_MAX', message: `int value should be less than or equal to ${MAX_GUILDS_PER_PAGE}.` }
    : { code: 'NUMBER_TYPE_MIN', message: 'int value should be greater than or equal to 1.' };
  return replyJson(
    {
      message: 'Invalid Form Body',
      code: RESTJSONErrorCodes.InvalidFormBodyOrContentType,
      errors: { limit: { _errors: [error] } },
    },
    400,
  );
}
