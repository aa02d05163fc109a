import { registerErrorCodes } from '@weft/kernel';

export const BotErrors = registerErrorCodes({
  /** Also the answer for another workspace's bot: its existence is not revealed. */
  BOT_NOT_FOUND: 404,
  BOT_COMMAND_NOT_FOUND: 404,
  /** Discord answered 401 to GET /users/@me: the token is wrong or was reset. */
  BOT_TOKEN_INVALID: 400,
  BOT_ALREADY_CONNECTED: 409,
  BOT_COMMAND_NAME_TAKEN: 409,
  /** More than Discord allows per scope (100 slash, 5 user, 5 message commands). */
  BOT_COMMAND_LIMIT_REACHED: 409,
  BOT_WORKFLOW_NOT_FOUND: 400,
  BOT_VARIABLE_NOT_FOUND: 404,
  BOT_VARIABLE_TYPE_MISMATCH: 409,
  BOT_VARIABLE_TOO_LARGE: 413,
  /** The per-bot (per-plan) variable limit is reached: delete some or raise the plan. */
  BOT_VARIABLE_LIMIT_REACHED: 409,
  /** Discord refused or could not be reached while registering commands or checking the token. */
  /** An event flow id that is not this bot's. */
  BOT_EVENT_FLOW_NOT_FOUND: 404,
  /** The workflow already handles this event for the bot. */
  BOT_EVENT_FLOW_TAKEN: 409,
  BOT_EVENT_FLOW_LIMIT_REACHED: 409,
  /** A flow asked a Discord action of a route workflows may not use. */
  BOT_DISCORD_ROUTE_FORBIDDEN: 403,
  BOT_DISCORD_UNAVAILABLE: 502,
  BOT_DISCORD_REJECTED: 422,
  /** Guild staff: the Discord server list of the user is missing or older than a day; signing in with Discord again refreshes it. */
  BOT_GUILD_STAFF_SIGN_IN_REQUIRED: 403,
  /** Guild staff: the user does not own, administer or manage (MANAGE_GUILD) this Discord server. */
  BOT_GUILD_NOT_MANAGED: 403,
  /** Guild staff routes are for a person at the dashboard; API tokens are bound to one workspace. */
  BOT_GUILD_STAFF_SESSION_REQUIRED: 403,
});
