import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  CAN_RUN_BROWSER,
  callApiAsPage,
  findFreePort,
  saveScreenshotIfFailed,
  startDashboardSession,
  startDiscordWithBot,
  type DashboardSession,
  type DiscordStandinForTests,
  type SeededBot,
  expectAccessible as expectPageAccessible,
} from './browser-harness';
import { logIn } from './account-steps';

/**
 * "Your servers": a signed-in person whose Discord server runs a Weft bot is
 * first asked to sign in with Discord (no managed-server list yet), walks the
 * stand-in's OAuth consent, then picks the bot of that server and saves its
 * settings there. The platform's port is chosen up front because the login
 * application's redirect URI must be registered at the stand-in.
 */
describe.skipIf(!CAN_RUN_BROWSER)('dashboard: your Discord servers (guild staff)', () => {
  let session: DashboardSession;
  let discord: DiscordStandinForTests;
  let bot: SeededBot;
  let page: Page;
  let problems: string[];
  const slug = 'grace';

  beforeAll(async () => {
    ({ discord, bot } = await startDiscordWithBot());
    const port = await findFreePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const login = discord.state.addApplication({ redirect_uris: [`${publicUrl}/api/v1/auth/discord/callback`] });
    session = await startDashboardSession({
      env: {
        WEFT_PUBLIC_URL: publicUrl,
        DISCORD_API_URL: discord.apiUrl,
        DISCORD_GATEWAY_URL: discord.gatewayUrl,
        DISCORD_AUTHORIZE_URL: `${discord.url}/oauth2/authorize`,
        DISCORD_CLIENT_ID: login.id,
        DISCORD_CLIENT_SECRET: login.client_secret,
      },
      port,
      admin: { email: 'grace@example.com', username: slug, password: 'a long admin passphrase' },
      viewport: { width: 1280, height: 900 },
      reducedMotion: 'reduce',
    });
    ({ page, problems } = session);
  }, 180_000);

  afterEach(({ task }) => saveScreenshotIfFailed(page, task, 'failed-servers-'));

  afterAll(async () => {
    await session?.close();
    await discord?.close();
  });

  const callApi = (method: string, path: string, body?: unknown) => callApiAsPage(page, method, path, body);

  const expectAccessible = (name: string) => expectPageAccessible(page, name);

  it('asks for a Discord sign-in, then edits the settings of a bot in a server the user owns', { timeout: 90_000 }, async () => {
    await logIn(page, slug, 'a long admin passphrase', slug);

    // The bot joins the list once the gateway has reported its server (bot_guilds); the bot page is covered elsewhere.
    const created = await callApi('POST', `/api/v1/workspaces/${slug}/bots`, { applicationId: bot.applicationId, publicKey: bot.publicKey, token: bot.token });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const botId = created.json.id as string;
    expect((await callApi('POST', `/api/v1/workspaces/${slug}/bots/${botId}/start`)).status).toBe(200);
    await expect
      .poll(async () => ((await callApi('GET', `/api/v1/workspaces/${slug}/bots/${botId}/guilds`)).json.items as unknown[]).length, { timeout: 40_000, interval: 500 })
      .toBe(1);

    await page.getByRole('link', { name: 'Your servers' }).click();
    await page.getByRole('heading', { name: 'Sign in with Discord to manage your servers' }).waitFor();
    await expectAccessible('80-servers-sign-in');

    discord.state.setAuthorizingUser(bot.ownerId);
    await page.getByRole('link', { name: 'Sign in with Discord' }).click();
    await page.waitForURL(/\/settings\/account/);
    await page.getByText('Discord is linked').waitFor();

    await page.getByRole('link', { name: 'Your servers' }).click();
    const botLink = page.getByRole('navigation', { name: 'Servers and bots' }).getByRole('link', { name: 'Weft Bot in Weft Test Server' });
    await page.getByText('You own this server.').waitFor();
    // Keyboard: the bot is a link, reached and opened without the mouse.
    await botLink.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => botLink.getAttribute('aria-current')).toBe('page');
    const form = page.getByRole('form', { name: `Settings of server ${bot.guildId}` });
    await form.getByText('Never saved: these are the defaults.').waitFor();
    await form.getByRole('checkbox', { name: 'welcome' }).check();
    await form.getByRole('checkbox', { name: 'Moderator' }).check();
    await expectAccessible('81-servers-settings');
    await form.getByRole('button', { name: 'Save server settings' }).click();
    await page.getByText('Server settings saved.').waitFor();

    // Saved for real: the workspace's own route reads what the server's staff chose.
    const saved = await callApi('GET', `/api/v1/workspaces/${slug}/bots/${botId}/guilds/${bot.guildId}/settings`);
    expect(saved.json.enabledFeatures).toEqual(['welcome']);
    expect(saved.json.staffRoleIds).toHaveLength(1);
    await page.reload();
    await form.getByText(/Last saved/).waitFor();
    expect(await form.getByRole('checkbox', { name: 'welcome' }).isChecked()).toBe(true);
    expect(problems).toEqual([]);
  });
});
