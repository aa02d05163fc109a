import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  CAN_RUN_BROWSER,
  expectAccessible as expectPageAccessible,
  openTestPage,
  saveScreenshotIfFailed,
  startDashboardSession,
  type DashboardSession,
} from './browser-harness';
import { logIn } from './account-steps';

const PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/**
 * The blog as an instance administrator writes it and a visitor reads it: an
 * empty blog, a draft the public cannot see, the preview, publishing, the
 * post and the feed read signed out, then withdrawing it again.
 */
describe.skipIf(!CAN_RUN_BROWSER)('dashboard: the blog, written and read', () => {
  let session: DashboardSession;
  let browser: Browser;
  let page: Page;
  let visitor: Page;
  let problems: string[];
  const slug = 'grace';

  beforeAll(async () => {
    session = await startDashboardSession({
      admin: { email: 'grace@example.com', username: slug, password: 'a long admin passphrase' },
      viewport: { width: 1280, height: 900 },
      reducedMotion: 'reduce',
    });
    ({ page, problems, browser } = session);
    // A second context: no cookie, as a reader who never signed in.
    ({ page: visitor } = await openTestPage(browser, { baseUrl: session.platform.baseUrl, viewport: { width: 390, height: 844 } }));
  }, 180_000);

  afterEach(({ task }) => saveScreenshotIfFailed(page, task, 'failed-blog-'));

  afterAll(async () => {
    await session?.close();
  });

  it('shows an empty blog to a visitor', async () => {
    await visitor.goto('/blog');
    await visitor.getByRole('heading', { name: 'Nothing here yet' }).waitFor();
    await expectPageAccessible(visitor, '80-blog-empty');
  });

  it('writes a draft with a preview, which the public cannot see', async () => {
    await logIn(page, slug, 'a long admin passphrase', slug);
    await page.getByRole('navigation', { name: 'Instance' }).getByRole('link', { name: 'Blog & changelog' }).click();
    await page.getByRole('heading', { name: 'No post yet' }).waitFor();
    await page.getByRole('link', { name: 'New post' }).first().click();
    await page.getByLabel('Title').fill('Weft 1.0 is out!');
    expect(await page.getByLabel('Address').inputValue()).toBe('weft-1-0-is-out');
    await page.getByLabel('Summary').fill('Durable runs, Discord bots and a blog.');
    await page.getByLabel('Text (markdown)').fill('## What is new\n\n- **Durable** runs\n- <script>alert(1)</script>\n\n[Docs](javascript:alert(1))');
    // An image, uploaded and inserted at the end of the text.
    await page.getByLabel('Text (markdown)').press('End');
    await page.getByLabel('Image file').setInputFiles({ name: 'Pixel.png', mimeType: 'image/png', buffer: PIXEL_PNG });
    await page.getByText('pixel.png uploaded and inserted.').waitFor();
    expect(await page.getByLabel('Text (markdown)').inputValue()).toMatch(/!\[pixel\]\(\/media\/[0-9a-f-]{36}\/pixel\.png\)$/);
    await page.getByRole('tab', { name: 'Preview' }).click();
    const preview = page.getByRole('tabpanel', { name: 'Preview' });
    await preview.getByRole('heading', { name: 'What is new' }).waitFor();
    expect(await preview.locator('strong').textContent()).toBe('Durable');
    expect(await preview.locator('script').count()).toBe(0);
    expect(await preview.textContent()).toContain('<script>alert(1)</script>');
    await expect.poll(() => preview.locator('img[alt="pixel"]').evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBe(1);
    await expectPageAccessible(page, '81-post-preview');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/admin\/posts\/[0-9a-f-]{36}$/);
    await page.getByText('Draft', { exact: true }).first().waitFor();

    await visitor.goto('/blog/weft-1-0-is-out');
    await visitor.getByRole('heading', { name: 'This post does not exist' }).waitFor();
  });

  it('publishes it: the visitor reads it, and the feed lists it', async () => {
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published. Anyone can read it now.').waitFor();
    await expectPageAccessible(page, '82-post-published');

    await visitor.goto('/blog');
    await visitor.getByRole('link', { name: 'Weft 1.0 is out!' }).click();
    await visitor.getByRole('heading', { name: 'Weft 1.0 is out!', level: 1 }).waitFor();
    await visitor.getByRole('heading', { name: 'What is new' }).waitFor();
    expect(await visitor.locator('.post-body a').count()).toBe(0);
    // The image loads for a signed-out reader too, under the page's own CSP.
    await expect.poll(() => visitor.locator('.post-body img').evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBe(1);
    await expectPageAccessible(visitor, '83-post-public');
    // Under the other kind's address, the post moves to its own.
    await visitor.goto('/changelog/weft-1-0-is-out');
    await visitor.waitForURL(/\/blog\/weft-1-0-is-out$/);
    await visitor.getByRole('heading', { name: 'Weft 1.0 is out!', level: 1 }).waitFor();
    const feed = await visitor.evaluate(() => fetch('/api/v1/posts/rss.xml').then((response) => response.text()));
    expect(feed).toContain('<title>Weft 1.0 is out!</title>');
  });

  it('withdraws it: gone from the public list', async () => {
    await page.getByRole('button', { name: 'Withdraw' }).click();
    await page.getByText('Withdrawn: it is a draft again.').waitFor();
    await visitor.goto('/blog');
    await visitor.getByRole('heading', { name: 'Nothing here yet' }).waitFor();
    expect(problems).toEqual([]);
  });
});
