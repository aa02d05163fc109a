import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import {
  saveScreenshot,
  saveScreenshotIfFailed,
  startDashboardSession,
  waitForMailLink,
  type DashboardSession,
  type RunningPlatform,
  CAN_RUN_BROWSER,
  expectAccessible as expectPageAccessible,
} from './browser-harness';
import { signUp, submitLogInForm } from './account-steps';
import { connectPorts, dropPaletteNode, publishFromEditor } from './editor-gestures';
import { generateTotpCode } from './totp-code';

/**
 * The path of a new user, in a real Chromium against the real server on a
 * fresh database: sign up → confirm the address from the mail outbox → build
 * webhook → transform → respond in the editor with the mouse → publish → call
 * the webhook → find the run and its steps. Each step also checks the page
 * with axe-core and saves a screenshot.
 */
describe.skipIf(!CAN_RUN_BROWSER)('dashboard: from sign-up to a first run', () => {
  let session: DashboardSession;
  let platform: RunningPlatform;
  let page: Page;
  let problems: string[];
  const email = 'ada@example.com';
  const username = 'ada';
  const password = 'a long enough passphrase';
  let workspaceSlug = '';
  let recoveryCode = '';

  beforeAll(async () => {
    session = await startDashboardSession({ viewport: { width: 1600, height: 900 } });
    ({ platform, page, problems } = session);
  }, 180_000);

  afterEach(({ task }) => saveScreenshotIfFailed(page, task, 'failed-'));

  afterAll(() => session?.close());

  const expectAccessible = (name: string) => expectPageAccessible(page, name);

  it('signs up and lands in the personal workspace', async () => {
    workspaceSlug = await signUp(page, { email, username, password }, () => expectAccessible('01-signup'));
    expect(workspaceSlug).toBe('ada');
    await expect.poll(() => page.getByText('Confirm your email address').isVisible()).toBe(true);
    await page.getByRole('heading', { name: 'No workflows yet' }).waitFor();
    await expectAccessible('02-workflows-empty');
  });

  it('confirms the email address with the link from the outbox', async () => {
    const link = await waitForMailLink(platform.dataDir, email, '/verify-email?token=', platform.baseUrl);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Email confirmed' }).waitFor();
    await expectAccessible('03-email-confirmed');
    await page.getByRole('link', { name: 'Go to your dashboard' }).click();
    await page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor();
    expect(await page.getByText('Confirm your email address').count()).toBe(0);
  });

  it('builds webhook → transform → respond with the mouse and publishes it', async () => {
    await page.getByRole('button', { name: 'Blank workflow' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('Greeter');
    await page.getByRole('button', { name: 'Create and open the editor' }).click();
    await page.getByRole('toolbar', { name: 'Workflow editor' }).waitFor();

    await dropPaletteNode(page, 'trigger.webhook', { x: 0.18, y: 0.4 });
    await dropPaletteNode(page, 'transform', { x: 0.5, y: 0.4 });
    await dropPaletteNode(page, 'respond', { x: 0.82, y: 0.4 });
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(3);
    await connectPorts(page, 'webhook', 'transform');
    await connectPorts(page, 'transform', 'respond');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);

    // A bad parameter: the API's validation problem is shown on the node itself.
    await page.locator('.react-flow__node[data-id="webhook"]').click();
    await page.getByLabel('Path').fill('not a path');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('.react-flow__node[data-id="webhook"] .weft-node.has-problems').waitFor();
    await saveScreenshot(page, '04-editor-problem-on-node');
    await page.getByLabel('Path').fill('greet');

    await page.locator('.react-flow__node[data-id="transform"]').click();
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByLabel('Field 1').fill('greeting');
    await page.getByLabel('Expression of greeting').fill('"Hello, " & body.name');
    await saveScreenshot(page, '04-editor-transform');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('All changes saved').waitFor();
    expect(await page.locator('.weft-node.has-problems').count()).toBe(0);

    // Keyboard editing on the canvas: duplicate, delete, undo, redo.
    await page.locator('.react-flow__node[data-id="transform"]').click();
    await page.keyboard.press('Control+D');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(4);
    await page.keyboard.press('Delete');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(3);
    await page.keyboard.press('Control+Z');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(4);
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(3);
    await page.locator('.react-flow__node[data-id="transform"]').click();
    await page.keyboard.press('Control+C');
    await page.keyboard.press('Control+V');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(4);
    await page.keyboard.press('Control+Z');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(3);
    await page.getByText('All changes saved').waitFor();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export as JSON' }).click();
    const exported = JSON.parse(readFileSync((await (await download).path())!, 'utf8')) as { weft: string; graph: { nodes: { id: string }[] } };
    expect(exported.weft).toBe('workflow');
    expect(exported.graph.nodes.map((node) => node.id)).toEqual(['webhook', 'transform', 'respond']);

    await publishFromEditor(page, { version: 1, message: 'First version: greets by name' });
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await expectAccessible('05-editor-published');
  });

  it('answers the webhook with the transform’s output', async () => {
    const response = await fetch(`${platform.baseUrl}/hooks/${workspaceSlug}/greet`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ greeting: 'Hello, Ada' });
  });

  it('shows the run and each of its steps', async () => {
    await page.getByRole('link', { name: 'Back to workflows' }).click();
    await page.getByRole('link', { name: 'Runs' }).click();
    const row = page.getByRole('link', { name: /^Run .*, succeeded$/ });
    await row.first().waitFor();
    await expectAccessible('06-runs-list');
    await row.first().click();
    await page.getByRole('heading', { name: /Greeter/ }).waitFor();
    const steps = page.getByRole('list', { name: 'Steps in the order they ran' }).getByRole('listitem');
    await expect.poll(() => steps.count()).toBe(3);
    await steps.nth(1).locator('summary').click();
    await expect.poll(() => page.getByLabel('Output of transform').textContent()).toContain('Hello, Ada');
    await expectAccessible('07-run-detail');

    const firstRunUrl = page.url();
    await steps.nth(1).getByRole('button', { name: 'Replay from this step' }).click();
    await page.waitForURL((url) => url.href !== firstRunUrl && url.pathname.includes('/runs/'));
    await page.locator('dd', { hasText: /^Replay · from run/ }).waitFor();
    await expect.poll(() => page.locator('.page-header .badge').first().textContent(), { timeout: 10_000 }).toContain('Succeeded');
  });

  it('shows the account pages without accessibility violations', async () => {
    for (const [path, heading, name] of [
      ['/settings/account', 'Profile', '08-account-profile'],
      ['/settings/security', 'Security', '09-account-security'],
      ['/settings/tokens', 'API tokens', '10-api-tokens'],
      ['/settings/privacy', 'Privacy', '11-privacy'],
      [`/w/${workspaceSlug}/members`, 'Members', '12-members'],
    ] as const) {
      await page.goto(path);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await expectAccessible(name);
    }
  });

  it('turns on two-factor authentication with the QR code’s key', async () => {
    await page.goto('/settings/security');
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    await saveScreenshot(page, '14-two-factor-enrol');
    const secret = (await page.locator('code').first().textContent())!.trim();
    await page.getByLabel('Code from the app').fill(generateTotpCode(secret));
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    const codes = page.getByLabel('Recovery codes', { exact: true });
    await codes.waitFor();
    await expectAccessible('15-recovery-codes');
    recoveryCode = (await codes.locator('span').first().textContent())!.trim();
    expect(recoveryCode.length).toBeGreaterThanOrEqual(10);
    await page.getByRole('button', { name: 'I saved them' }).click();
    await page.getByText('On: signing in asks for a code').waitFor();
  });

  it('logs out and back in with a recovery code as the second factor', async () => {
    const loggedOut = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/logout'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect((await loggedOut).status()).toBe(200);
    await page.waitForURL(/\/login/);
    await expectAccessible('13-login');
    await submitLogInForm(page, username, password);
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCode);
    await page.getByRole('button', { name: 'Verify and log in' }).click();
    await page.waitForURL(/\/w\/ada\/workflows/);
    expect(problems).toEqual([]);
  });
});
