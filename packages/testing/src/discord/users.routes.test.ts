import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RESTGetAPICurrentUserGuildsResult } from 'discord-api-types/v10';
import { startDiscordStandin, type DiscordStandin } from './discord-standin';
import { getWithToken, seedTestWorld } from './seed-test-world';

let standin: DiscordStandin;
let world: ReturnType<typeof seedTestWorld>;

beforeEach(async () => {
  standin = await startDiscordStandin();
  world = seedTestWorld(standin.state);
});
afterEach(() => standin.close());

function bearerFor(scopes: string[], userId = world.alice.id): string {
  const grant = standin.state.oauth.issueTokens({ applicationId: world.application.id, userId, scopes });
  return `Bearer ${grant.accessToken}`;
}

async function listGuildIds(query: string, authorization = bearerFor(['guilds'])): Promise<string[]> {
  const reply = await getWithToken(standin, `/users/@me/guilds${query}`, authorization);
  return ((await reply.json()) as RESTGetAPICurrentUserGuildsResult).map((guild) => guild.id);
}

describe('GET /users/@me', () => {
  it('omits email and verified without the email scope', async () => {
    const reply = await getWithToken(standin, '/users/@me', bearerFor(['identify']));
    expect(reply.status).toBe(200);
    const user = await reply.json();
    expect(user).toMatchObject({ id: world.alice.id, username: 'alice', global_name: 'Alice', discriminator: '0' });
    expect(user).not.toHaveProperty('email');
    expect(user).not.toHaveProperty('verified');
  });

  it('includes email and verified with the email scope', async () => {
    const user = await (await getWithToken(standin, '/users/@me', bearerFor(['identify', 'email']))).json();
    expect(user).toMatchObject({ email: 'alice@example.com', verified: true });
  });

  it('answers a Bot token with the bot user', async () => {
    const reply = await getWithToken(standin, '/users/@me', `Bot ${world.application.bot!.token}`);
    expect(reply.status).toBe(200);
    expect(await reply.json()).toMatchObject({ id: world.bot.id, username: 'Weft Bot', bot: true });
  });

  it.each([
    ['no Authorization header', undefined],
    ['an unknown Bearer token', 'Bearer nope'],
    ['a bot token sent as Bearer', 'BOT_AS_BEARER'],
    ['an unknown Bot token', 'Bot nope'],
    ['a token without identify or email', 'GUILDS_ONLY'],
  ])('answers %s with 401 in Discord form', async (_case, authorization) => {
    const header =
      authorization === 'BOT_AS_BEARER'
        ? `Bearer ${world.application.bot!.token}`
        : authorization === 'GUILDS_ONLY'
          ? bearerFor(['guilds'])
          : authorization;
    const reply = await fetch(`${standin.apiUrl}/users/@me`, { headers: header ? { Authorization: header } : {} });
    expect(reply.status).toBe(401);
    expect(await reply.json()).toEqual({ message: '401: Unauthorized', code: 0 });
  });
});

describe('GET /users/@me/guilds', () => {
  it('needs the guilds scope', async () => {
    const reply = await getWithToken(standin, '/users/@me/guilds', bearerFor(['identify', 'email']));
    expect(reply.status).toBe(401);
    expect(await reply.json()).toEqual({ message: '401: Unauthorized', code: 0 });
  });

  it('pages with limit, after and before in id order', async () => {
    const all = [world.ownedGuild.id, world.managedGuild.id, world.administeredGuild.id, world.memberGuild.id];
    expect(await listGuildIds('')).toEqual(all);
    expect(await listGuildIds('?limit=2')).toEqual(all.slice(0, 2));
    expect(await listGuildIds(`?limit=2&after=${all[1]}`)).toEqual(all.slice(2, 4));
    expect(await listGuildIds(`?limit=1&before=${all[2]}`)).toEqual([all[1]]);
  });

  it('refuses a limit above 200 with Invalid Form Body', async () => {
    const reply = await getWithToken(standin, '/users/@me/guilds?limit=201', bearerFor(['guilds']));
    expect(reply.status).toBe(400);
    expect(await reply.json()).toMatchObject({ code: 50035, errors: { limit: { _errors: [{ code: 'NUMBER_TYPE_MAX' }] } } });
  });

  it('adds approximate counts only when asked', async () => {
    const [plain] = (await (await getWithToken(standin, '/users/@me/guilds', bearerFor(['guilds']))).json()) as RESTGetAPICurrentUserGuildsResult;
    expect(plain).not.toHaveProperty('approximate_member_count');
    const [counted] = (await (
      await getWithToken(standin, '/users/@me/guilds?with_counts=true', bearerFor(['guilds']))
    ).json()) as RESTGetAPICurrentUserGuildsResult;
    expect(counted!.approximate_member_count).toBe(2); // Alice and the bot
  });

  it('lists the guilds a bot is in for a Bot token', async () => {
    expect(await listGuildIds('', `Bot ${world.application.bot!.token}`)).toEqual([world.ownedGuild.id]);
  });
});
