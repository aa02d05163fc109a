import type * as DiscordRest from '@discordjs/rest';
import type * as DiscordWs from '@discordjs/ws';

/**
 * @discordjs/rest and @discordjs/ws, loaded the first time a bot needs them: together they hold
 * about 8 MB of heap (measured after start-up) that a server running no bot never uses.
 */
export interface DiscordSdk {
  rest: typeof DiscordRest;
  ws: typeof DiscordWs;
}

let loading: Promise<DiscordSdk> | undefined;
let loaded: DiscordSdk | undefined;

export function loadDiscordSdk(): Promise<DiscordSdk> {
  loading ??= Promise.all([import('@discordjs/rest'), import('@discordjs/ws')]).then(([rest, ws]) => (loaded = { rest, ws }));
  return loading;
}

/** Discord answered with an error status. Only a loaded SDK can have thrown one. */
export function isDiscordApiError(error: unknown): error is DiscordRest.DiscordAPIError {
  return loaded !== undefined && error instanceof loaded.rest.DiscordAPIError;
}

/** @discordjs/rest gave up waiting out a 429. */
export function isRateLimitError(error: unknown): error is DiscordRest.RateLimitError {
  return loaded !== undefined && error instanceof loaded.rest.RateLimitError;
}
