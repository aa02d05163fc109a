import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  CAN_RUN_BROWSER,
  callApiAsPage,
  saveScreenshotIfFailed,
  startDashboardSession,
  startDiscordWithBot,
  type DashboardSession,
  type DiscordStandinForTests,
  type RunningPlatform,
  type SeededBot,
  expectAccessible as expectPageAccessible,
} from './browser-harness';
import { logIn } from './account-steps';
import { openStarterExample } from './editor-gestures';

/**
 * The workspace tools around workflows, as an instance administrator: a
 * credential whose secret is never shown again, the credentials picker and
 * "test this node" in the editor, a Discord bot connected against the
 * stand-in (its status, start, runtime log, a command synced to Discord),
 * and the audit log. Every screen is checked with axe-core.
 */
describe.skipIf(!CAN_RUN_BROWSER)('dashboard: credentials, node tests, bots and the audit log', () => {
  let session: DashboardSession;
  let platform: RunningPlatform;
  let discord: DiscordStandinForTests;
  let bot: SeededBot;
  let page: Page;
  let problems: string[];
  const SECRET = 'tok_live_5f1d2a9c8e7b6a5d4c3b2a19';
  const slug = 'margaret';
  let botUrl = '';

  beforeAll(async () => {
    ({ discord, bot } = await startDiscordWithBot());
    session = await startDashboardSession({
      env: { DISCORD_API_URL: discord.apiUrl, DISCORD_GATEWAY_URL: discord.gatewayUrl },
      admin: { email: 'margaret@example.com', username: slug, password: 'a long admin passphrase' },
      viewport: { width: 1440, height: 900 },
      // Reduced motion: axe must see toasts as they settle, not halfway through their fade-in.
      reducedMotion: 'reduce',
    });
    ({ platform, page, problems } = session);
  }, 180_000);

  afterEach(({ task }) => saveScreenshotIfFailed(page, task, 'failed-tools-'));

  afterAll(async () => {
    await session?.close();
    await discord?.close();
  });

  const expectAccessible = (name: string) => expectPageAccessible(page, name);

  it('signs in as an administrator', async () => {
    await logIn(page, slug, 'a long admin passphrase', slug);
  });

  it('creates a credential whose secret is never shown again', async () => {
    await page.getByRole('link', { name: 'Credentials' }).click();
    await page.getByRole('heading', { name: 'No credentials yet' }).waitFor();
    await expectAccessible('50-credentials-empty');
    await page.getByRole('button', { name: 'New credential' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Type').selectOption('bearer-token');
    await dialog.getByLabel('Name').fill('Deploy hook token');
    const secretInput = dialog.getByLabel('Token');
    expect(await secretInput.getAttribute('type')).toBe('password');
    await secretInput.fill(SECRET);
    await expectAccessible('51-credential-create');
    await dialog.getByRole('button', { name: 'Create credential' }).click();
    await page.getByRole('region', { name: 'Credentials' }).getByText('Deploy hook token').waitFor();
    expect(await page.getByRole('region', { name: 'Credentials' }).getByText('Bearer token').count()).toBe(1);
    await expectAccessible('52-credentials-list');

    await page.getByRole('button', { name: 'Edit Deploy hook token' }).click();
    expect(await page.getByRole('dialog').getByLabel('Token').inputValue()).toBe('');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.reload();
    await page.getByRole('region', { name: 'Credentials' }).getByText('Deploy hook token').waitFor();
    expect(await page.content()).not.toContain(SECRET);
    const listed = await page.evaluate((workspace) => fetch(`/api/v1/workspaces/${workspace}/credentials`).then((response) => response.text()), slug);
    expect(listed).toContain('Deploy hook token');
    expect(listed).not.toContain(SECRET);
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(SECRET);
  });

  it('picks the credential for webhook auth and tests the transform node', async () => {
    await page.getByRole('link', { name: 'Workflows' }).click();
    await openStarterExample(page);

    await page.locator('.react-flow__node[data-id="webhook"]').click();
    await page.getByLabel('Type', { exact: true }).selectOption('bearer');
    const picker = page.getByLabel('Credential', { exact: true });
    await expect.poll(() => picker.locator('option').allTextContents()).toContain('Deploy hook token');
    await picker.selectOption({ label: 'Deploy hook token' });

    await page.locator('.react-flow__node[data-id="greet"]').click();
    const test = page.getByRole('region', { name: 'Test this node' });
    await test.getByLabel('Input (JSON)').fill('{ "body": { "name": "Ada" } }');
    await expectAccessible('53-editor-node-test');
    await test.getByRole('button', { name: 'Save and test' }).click();
    const result = test.getByRole('status', { name: 'Test result' });
    await result.getByText('Succeeded').waitFor();
    expect(await result.getByLabel('Output of the test').textContent()).toContain('"greeting": "Hello, Ada!"');
    await page.getByText('All changes saved').waitFor();

    // The pinned input is remembered for this node on this device.
    await page.reload();
    await page.getByRole('toolbar', { name: 'Workflow editor' }).waitFor();
    await page.locator('.react-flow__node[data-id="greet"]').click();
    expect(await page.getByRole('region', { name: 'Test this node' }).getByLabel('Input (JSON)').inputValue()).toContain('"Ada"');
    await page.locator('.react-flow__node[data-id="webhook"]').click();
    // The picker lists credentials once they have loaded after the reload: wait for them rather than read "Loading…".
    await expect.poll(() => page.getByLabel('Credential', { exact: true }).locator('option:checked').textContent()).toBe('Deploy hook token');
  });

  it('lists schedules on the workflows page', async () => {
    await page.goto(`/w/${slug}/workflows`);
    await page.getByRole('heading', { name: 'Schedules' }).waitFor();
    await page.getByText('No schedule yet').waitFor();
  });

  it('connects a bot against the Discord stand-in and sees it online', { timeout: 90_000 }, async () => {
    await page.getByRole('link', { name: 'Bots' }).click();
    await page.getByRole('heading', { name: 'No bot connected' }).waitFor();
    await expectAccessible('60-bots-empty');
    await page.getByRole('button', { name: 'Connect a bot' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Application id').fill(bot.applicationId);
    await dialog.getByLabel('Public key').fill(bot.publicKey);
    // Well-formed, but Discord does not know it: refused, nothing stored.
    await dialog.getByLabel('Bot token').fill('MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GhIjKl.not-the-token-of-this-bot-at-all');
    await dialog.getByRole('button', { name: 'Connect bot' }).click();
    await dialog.getByText(/Discord refused the bot token/).waitFor();
    await dialog.getByLabel('Bot token').fill(bot.token);
    await expectAccessible('61-bot-connect');
    await dialog.getByRole('button', { name: 'Connect bot' }).click();

    await page.waitForURL(/\/bots\/[0-9a-f-]{36}$/);
    botUrl = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: /Weft Bot/ }).waitFor();
    expect(await page.getByTestId('bot-status').first().textContent()).toBe('Stopped');
    await page.getByRole('link', { name: 'All bots' }).click();
    const row = page.getByRole('region', { name: 'Bots' }).getByRole('row', { name: /Weft Bot/ });
    expect(await row.getByTestId('bot-status').textContent()).toBe('Stopped');
    expect(await row.textContent()).toContain(bot.applicationId);
    expect(await page.content()).not.toContain(bot.token);
    await expectAccessible('62-bots-list');

    await row.getByRole('link', { name: 'Weft Bot' }).click();
    await page.getByRole('button', { name: 'Start' }).click();
    // The gateway runtime (a worker component) picks the bot up on its next tick, connects to the
    // stand-in's gateway and reports READY: the page polls every 3 s while the bot connects.
    await expect.poll(() => page.getByTestId('bot-status').first().textContent(), { timeout: 40_000, interval: 500 }).toBe('Online');
    await page.getByRole('button', { name: 'Stop' }).waitFor();
    const invite = await page.getByRole('link', { name: 'Add to a server' }).getAttribute('href');
    expect(invite).toContain(`client_id=${bot.applicationId}`);
    await page.getByRole('tab', { name: 'Runtime log' }).click();
    await page.getByRole('list', { name: 'Runtime log, newest first' }).getByText('Start requested').waitFor();
    await expectAccessible('63-bot-runtime-log');
    await page.getByRole('tab', { name: 'Usage' }).click();
    await page.getByRole('heading', { name: 'No command used yet' }).waitFor();
    await expectAccessible('63b-bot-usage-empty');
  });

  it('adds a command answered by a workflow and syncs it with Discord', async () => {
    await page.getByRole('tab', { name: 'Commands' }).click();
    await page.getByRole('button', { name: 'New command' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('greet');
    await dialog.getByLabel('Description').fill('Say hello');
    await dialog.getByRole('button', { name: 'Add option' }).click();
    await dialog.getByLabel('Option 1 name').fill('name');
    await dialog.getByLabel('Option 1 description').fill('Who to greet');
    await dialog.getByLabel('Workflow').selectOption({ label: 'Hello webhook (not published)' });
    await dialog.getByLabel('Cooldown per person (seconds)').fill('5');
    await expectAccessible('64-bot-command-editor');
    await dialog.getByRole('button', { name: 'Add command' }).click();
    await page.getByRole('region', { name: 'Commands' }).getByText('/greet').waitFor();
    expect(discord.state.commands.countOverwrites({ applicationId: bot.applicationId })).toBe(0);
    await page.getByRole('button', { name: 'Sync with Discord' }).click();
    await page.getByText(/Sent to Discord: 1 global/).waitFor();
    expect(discord.state.commands.countOverwrites({ applicationId: bot.applicationId })).toBe(1);
    await expectAccessible('65-bot-commands');

    await page.getByRole('tab', { name: 'Event flows' }).click();
    await page.getByRole('heading', { name: 'No event flows' }).waitFor();
    const addFlow = page.getByRole('form', { name: 'Add an event flow' });
    await addFlow.getByLabel('When').selectOption({ label: 'A member joins' });
    await addFlow.getByLabel('Run workflow').selectOption({ label: 'Hello webhook' });
    await addFlow.getByRole('button', { name: 'Add event flow' }).click();
    await page.getByRole('region', { name: 'Event flows' }).getByText('member.join').waitFor();
    await expectAccessible('65b-bot-event-flows');

    await page.getByRole('tab', { name: 'Variables' }).click();
    await page.getByRole('heading', { name: 'No variables' }).waitFor();
    await page.getByRole('tab', { name: 'Guild settings' }).click();
    await page.getByLabel('Server (guild) id').fill(bot.guildId);
    await page.getByRole('button', { name: 'Open settings' }).click();
    await page.getByRole('checkbox', { name: 'moderation' }).check();
    await page.getByRole('button', { name: 'Save server settings' }).click();
    await page.getByText('Server settings saved.').waitFor();
    await expectAccessible('66-bot-guild-settings');
  });

  it('shows a run waiting for a callback, with its callback address, until it is called', async () => {
    // Built through the API (the editor is covered above): manual trigger → wait for a webhook.
    const graph = {
      nodes: [
        { id: 'start', type: 'trigger.manual', version: 1, name: 'Start', params: {}, position: { x: 0, y: 0 } },
        { id: 'approval', type: 'wait.webhook', version: 1, name: 'Wait for approval', params: { timeoutSeconds: 3600 }, position: { x: 280, y: 0 } },
      ],
      edges: [{ from: 'start', fromPort: 'main', to: 'approval', toPort: 'main' }],
    };
    const workflowDocument = { weft: 'workflow', version: 1, name: 'Approval', description: '', settings: { savingPolicy: 'all', concurrencyLimit: null, timeoutMs: 30_000 }, graph };
    const imported = (await callApiAsPage(page, 'POST', `/api/v1/workspaces/${slug}/workflows/import`, { document: workflowDocument, publish: true })).json as { workflow: { id: string } };
    const { runId } = (await callApiAsPage(page, 'POST', `/api/v1/workspaces/${slug}/workflows/${imported.workflow.id}/runs`, { order: 42 })).json as { runId: string };

    await page.goto(`/w/${slug}/runs/${runId}`);
    await page.getByRole('heading', { name: /Approval/ }).getByText('Waiting').waitFor({ timeout: 15_000 });
    await page.getByText('The run is waiting at “Wait for approval”').waitFor();
    const callbackUrl = await page.getByTestId('callback-url').textContent();
    expect(callbackUrl).toMatch(/\/hooks\/resume\/[\w-]+$/);
    expect(await page.getByRole('definition').filter({ hasText: 'Manual' }).count()).toBe(1);
    await expectAccessible('67-run-waiting');

    const resumed = await fetch(`${platform.baseUrl}${new URL(callbackUrl!).pathname}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"approved":true}' });
    expect(resumed.status).toBe(202);
    await page.getByRole('heading', { name: /Approval/ }).getByText('Succeeded').waitFor({ timeout: 15_000 });
  });

  it('reads the audit log with filters, also at phone width', async () => {
    await page.goto(`/w/${slug}/audit-log`);
    await page.getByRole('heading', { name: 'Audit log', exact: true }).waitFor();
    const entries = page.getByRole('region', { name: 'Audit log entries' });
    await entries.getByText('credentials.credential.created').waitFor();
    await expectAccessible('70-audit-log');
    await page.getByLabel('Action').fill('credentials.credential.created');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => entries.getByRole('row').count()).toBe(2);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/w/${slug}/credentials`);
    await page.getByRole('region', { name: 'Credentials' }).waitFor();
    await expectAccessible('71-phone-credentials');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(botUrl);
    await page.getByRole('tab', { name: 'Commands' }).waitFor();
    await page.getByRole('region', { name: 'Commands' }).getByText('/greet').waitFor();
    await expectAccessible('72-phone-dark-bot');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(problems).toEqual([]);
  });
});
