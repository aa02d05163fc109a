import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  saveScreenshotIfFailed,
  startDashboardSession,
  type DashboardSession,
  type RunningPlatform,
  CAN_RUN_BROWSER,
  expectAccessible as expectPageAccessible,
} from './browser-harness';
import { signUp } from './account-steps';
import { openStarterExample, publishFromEditor } from './editor-gestures';

/**
 * A second person's path: a team workspace from the switcher, the starter
 * example imported from the empty state and published as is, an invitation
 * sent, each workspace's audit log read as its owner; then the main screens
 * at phone width and in the dark theme, each checked with axe-core.
 */
describe.skipIf(!CAN_RUN_BROWSER)('dashboard: team workspace, starter example, phone and dark theme', () => {
  let session: DashboardSession;
  let platform: RunningPlatform;
  let page: Page;
  let problems: string[];
  let workflowUrl = '';

  beforeAll(async () => {
    session = await startDashboardSession({ viewport: { width: 1440, height: 900 } });
    ({ platform, page, problems } = session);
  }, 180_000);

  afterEach(({ task }) => saveScreenshotIfFailed(page, task, 'failed-team-'));

  afterAll(() => session?.close());

  const expectAccessible = (name: string) => expectPageAccessible(page, name);

  it('creates a team workspace from the switcher', async () => {
    expect(await signUp(page, { email: 'grace@example.com', username: 'grace', password: 'another long passphrase' })).toBe('grace');

    await page.getByRole('button', { name: /Workspace/ }).click();
    await page.getByRole('button', { name: 'Create team workspace' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('Acme Support');
    expect(await page.getByRole('dialog').getByLabel('Slug').inputValue()).toBe('acme-support');
    await expectAccessible('20-create-workspace');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.waitForURL(/\/w\/acme-support\/workflows/);
  });

  it('imports the starter example, publishes it and its webhook answers', async () => {
    await openStarterExample(page);
    workflowUrl = new URL(page.url()).pathname;
    const webhookUrl = await page.locator('.secret-box').first().textContent();
    const path = /\/hooks\/acme-support\/(hello-[a-z0-9]+)/.exec(webhookUrl ?? '')?.[1];
    expect(path).toBeDefined();

    await publishFromEditor(page, { version: 1 });
    const response = await fetch(`${platform.baseUrl}/hooks/acme-support/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Grace"}' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { greeting: string }).greeting).toBe('Hello, Grace!');

    await page.getByRole('button', { name: 'Version history' }).click();
    await page.getByText('v1', { exact: true }).waitFor();
    await expectAccessible('21-editor-versions');
  });

  it('invites a teammate by email', async () => {
    await page.goto('/w/acme-support/members');
    await page.getByLabel('Email').fill('linus@example.com');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByRole('list', { name: 'Pending invitations' }).getByText('linus@example.com').waitFor();
    await expectAccessible('22-team-members');
  });

  it("reads each workspace's own audit log as its owner, without being an instance administrator", async () => {
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', exact: true }).waitFor();
    const entries = page.getByRole('region', { name: 'Audit log entries' });
    await entries.getByText('workspace.invitation.created', { exact: true }).waitFor();
    expect(await entries.getByText('workflow.published', { exact: true }).count()).toBe(1);
    // The team's creation only: the personal workspace's entries stay in that workspace's log.
    expect(await entries.getByText('workspace.created', { exact: true }).count()).toBe(1);
    // Every workspace at once is the instance administrators' view.
    expect(await page.getByLabel('Workspaces').count()).toBe(0);
    await expectAccessible('23-team-audit-log');

    await page.goto('/w/grace/audit-log');
    await entries.getByText('workspace.created', { exact: true }).waitFor();
    expect(await entries.getByText('workspace.invitation.created', { exact: true }).count()).toBe(0);
    expect(await entries.getByText('workflow.published', { exact: true }).count()).toBe(0);
  });

  it('works at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/w/acme-support/workflows');
    await page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor();
    await expectAccessible('30-phone-workflows');
    await page.getByRole('button', { name: 'Open navigation' }).click();
    await page.getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('heading', { name: 'Runs', exact: true }).waitFor();
    await expectAccessible('31-phone-runs');
    await page.goto(workflowUrl);
    await page.getByRole('toolbar', { name: 'Workflow editor' }).waitFor();
    await page.getByRole('button', { name: 'Add node' }).click();
    await page.getByRole('searchbox', { name: 'Search nodes' }).waitFor();
    await expectAccessible('32-phone-editor-palette');
  });

  it('follows the dark theme of the system, and the one picked in the sidebar', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/w/acme-support/runs');
    await page.getByRole('heading', { name: 'Runs', exact: true }).waitFor();
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe('rgb(15, 16, 23)');
    await page.goto(workflowUrl);
    await page.getByRole('toolbar', { name: 'Workflow editor' }).waitFor();
    await expectAccessible('40-dark-editor');
    await page.getByRole('button', { name: 'Light theme' }).click();
    expect(await background()).toBe('rgb(247, 247, 251)');
    await page.reload();
    await page.getByRole('toolbar', { name: 'Workflow editor' }).waitFor();
    expect(await background()).toBe('rgb(247, 247, 251)');
    expect(problems).toEqual([]);
  });

  it('keeps working offline once the service worker has cached the shell', async () => {
    const context = await session.browser.newContext({ baseURL: platform.baseUrl, serviceWorkers: 'allow' });
    const offlinePage = await context.newPage();
    await offlinePage.goto('/login');
    await offlinePage.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await context.setOffline(true);
    await offlinePage.reload();
    await offlinePage.getByRole('heading', { name: 'Log in to Weft' }).waitFor();
    // The network really is gone: only what the worker cached answers.
    const isServerReachable = await offlinePage.evaluate(() => fetch('/healthz').then(() => true, () => false));
    expect(isServerReachable).toBe(false);
    await context.close();
  });
});
