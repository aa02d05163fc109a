import { GuildSettingsBody, GuildSettingsView, GuildStaffParams, StaffedGuildList } from '@weft/contracts';
import { defineRoute, type RouteDefinition } from '@weft/http';
import type { GuildStaffService } from './guild-staff.service';

/** Under /me: these routes belong to the signed-in person, not to a workspace. */
const STAFF_URL = '/api/v1/me/discord/guilds';

export function createGuildStaffRoutes(staff: GuildStaffService): RouteDefinition[] {
  return [
    defineRoute({
      method: 'GET',
      url: STAFF_URL,
      auth: 'user',
      summary: 'Discord servers you manage in which a Weft bot runs (403 BOT_GUILD_STAFF_SIGN_IN_REQUIRED: sign in with Discord again)',
      tags: ['bots'],
      response: StaffedGuildList,
      handler: ({ principal, ip }) => staff.listStaffedGuilds({ principal: principal!, ip }),
    }),
    defineRoute({
      method: 'GET',
      url: `${STAFF_URL}/:guildId/bots/:botId/settings`,
      auth: 'user',
      summary: "A bot's settings for a server you manage (defaults when never saved)",
      tags: ['bots'],
      params: GuildStaffParams,
      response: GuildSettingsView,
      handler: ({ params, principal, ip }) => staff.getGuildSettings({ principal: principal!, ip }, params.guildId, params.botId),
    }),
    defineRoute({
      method: 'PUT',
      url: `${STAFF_URL}/:guildId/bots/:botId/settings`,
      auth: 'user',
      summary: "Replace a bot's settings for a server you manage: enabled features, channels, staff roles",
      tags: ['bots'],
      params: GuildStaffParams,
      body: GuildSettingsBody,
      response: GuildSettingsView,
      handler: ({ params, body, principal, ip }) => staff.putGuildSettings({ principal: principal!, ip }, params.guildId, params.botId, body),
    }),
  ];
}
