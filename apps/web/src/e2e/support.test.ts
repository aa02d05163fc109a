import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CAN_RUN_BROWSER, expectAccessible as expectPageAccessible, saveScreenshotIfFailed, startDashboardSession, type DashboardSession } from './browser-harness';
import { logIn } from './account-steps';

/**
 * Support from both sides, by an instance administrator who is also a user:
 * an empty list, a request refused until it has a subject, then sent; the
 * inbox shows it as needing an answer; the answer reaches the request's page.
 */
describe.skipIf(!CAN_RUN_BROWSER)('dashboard: support requests and the inbox', () => {
  let session: DashboardSession;
  let page: Page;
  let problems: string[];
  const slug = 'hedy';

  beforeAll(async () => {
    session = await startDashboardSession({ admin: { email: 'hedy@example.com', username: slug, password: 'a long admin passphrase' }, viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    ({ page, problems } = session);
    await logIn(page, slug, 'a long admin passphrase', slug);
  }, 180_000);

  afterEach(({ task }) => saveScreenshotIfFailed(page, task, 'failed-support-'));

  afterAll(async () => {
    await session?.close();
  });

  it('sends a request once it has a subject', async () => {
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Support' }).click();
    await page.getByRole('heading', { name: 'No request yet' }).waitFor();
    await expectPageAccessible(page, '90-support-empty');
    await page.getByRole('button', { name: 'New request' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('What happened?').fill('My schedule did not fire at 9:00.');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.getByText('Say what it is about').waitFor();
    await dialog.getByLabel('Subject').fill('Schedule did not fire');
    await expectPageAccessible(page, '91-support-new');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(/\/support\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Schedule did not fire' }).waitFor();
    await page.getByText('Waiting for staff').waitFor();

    // A log file, attached as bytes; the server names it by what it is.
    await page.getByLabel('File to attach').setInputFiles({ name: 'scheduler.log', mimeType: 'text/plain', buffer: Buffer.from('09:00:00 schedule skipped: time zone UTC\n') });
    await page.getByText('scheduler.txt added.').waitFor();
    const link = page.getByRole('region', { name: 'Files' }).getByRole('link', { name: 'scheduler.txt' });
    const href = await link.getAttribute('href');
    expect(await page.evaluate((url) => fetch(url!).then((response) => response.text()), href)).toBe('09:00:00 schedule skipped: time zone UTC\n');
  });

  it('answers it from the inbox, and the answer shows on the request', async () => {
    const requestUrl = page.url();
    await page.getByRole('link', { name: 'Support inbox' }).click();
    const row = page.getByRole('row', { name: /Schedule did not fire/ });
    await row.getByText('Needs an answer').waitFor();
    expect(await row.getByText(slug, { exact: true }).count()).toBe(1);
    await expectPageAccessible(page, '92-support-inbox');
    await row.getByRole('link', { name: 'Schedule did not fire' }).click();
    await page.getByRole('region', { name: 'Files' }).getByRole('link', { name: 'scheduler.txt' }).waitFor();
    await page.getByLabel('Answer').fill('The schedule uses the workflow’s time zone: set it to Europe/Paris.');
    await page.getByRole('button', { name: 'Send answer' }).click();
    await page.getByText('Waiting for the user').waitFor();
    await expectPageAccessible(page, '93-support-answered');

    await page.goto(new URL(requestUrl).pathname);
    await page.getByText('Answered', { exact: true }).waitFor();
    const conversation = page.getByRole('list', { name: 'Conversation' });
    await conversation.getByText('The schedule uses the workflow’s time zone: set it to Europe/Paris.').waitFor();
    expect(await conversation.getByText('Staff', { exact: true }).count()).toBe(1);
    expect(problems).toEqual([]);
  });
});
