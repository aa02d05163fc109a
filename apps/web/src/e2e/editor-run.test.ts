import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  CAN_RUN_BROWSER,
  callApiAsPage,
  saveScreenshotIfFailed,
  startDashboardSession,
  type DashboardSession,
  expectAccessible as expectPageAccessible,
} from './browser-harness';
import { logIn } from './account-steps';
import { publishFromEditor } from './editor-gestures';

/** A manual workflow of three nodes, imported through the API as the page's own session. */
const MANUAL_WORKFLOW = {
  weft: 'workflow',
  version: 1,
  name: 'Shouter',
  graph: {
    nodes: [
      { id: 'start', type: 'trigger.manual', version: 1, name: 'Start', params: {}, position: { x: 0, y: 0 } },
      { id: 'hello', type: 'transform', version: 1, name: 'Say hello', params: { mapping: { greeting: '"Hello, " & name' } }, position: { x: 300, y: 0 } },
      { id: 'shout', type: 'transform', version: 1, name: 'Shout it', params: { mapping: { loud: '$uppercase($input.greeting)' } }, position: { x: 600, y: 0 } },
    ],
    edges: [
      { from: 'start', fromPort: 'main', to: 'hello', toPort: 'main' },
      { from: 'hello', fromPort: 'main', to: 'shout', toPort: 'main' },
    ],
  },
};

/**
 * The editor's run panel, expression autocomplete, the version comparison
 * on the canvas and the getting-started tour, in Chromium against the real
 * server: each screen also checked with axe-core.
 */
describe.skipIf(!CAN_RUN_BROWSER)('dashboard: tour, running from the editor, autocomplete and version diff', () => {
  let session: DashboardSession;
  let page: Page;
  let problems: string[];
  const slug = 'grace';
  let editorUrl = '';
  let draftRunId = '';

  beforeAll(async () => {
    session = await startDashboardSession({
      admin: { email: 'grace@example.com', username: slug, password: 'a long enough passphrase' },
      viewport: { width: 1440, height: 900 },
      reducedMotion: 'reduce',
    });
    ({ page, problems } = session);
  }, 180_000);

  afterEach(({ task }) => saveScreenshotIfFailed(page, task, 'failed-run-'));

  afterAll(() => session?.close());

  const expectAccessible = (name: string) => expectPageAccessible(page, name);

  it('walks the getting-started tour to a webhook that answers', async () => {
    await logIn(page, slug, 'a long enough passphrase', slug);
    const tour = page.getByRole('region', { name: 'Your first working workflow' });
    await tour.waitFor();
    const startedAt = Date.now();
    await expectAccessible('80-tour-start');
    await tour.getByRole('button', { name: 'Create the example workflow' }).click();
    await tour.getByRole('button', { name: 'Publish version 1' }).click();
    await tour.getByLabel('Name to greet').fill('Grace');
    await expectAccessible('81-tour-call');
    await tour.getByRole('button', { name: 'Call the webhook' }).click();
    await expect.poll(() => tour.getByTestId('tour-reply').textContent()).toContain('Hello, Grace!');
    expect(Date.now() - startedAt).toBeLessThan(120_000);
    await expectAccessible('82-tour-done');

    // The reply came from a real, published workflow: its run is in the list.
    await tour.getByRole('link', { name: 'See the run' }).click();
    await page.getByRole('link', { name: /^Run .*, succeeded$/ }).first().waitFor();
    // Finished: the tour does not come back.
    await page.goto(`/w/${slug}/workflows`);
    await page.getByRole('link', { name: 'Hello webhook' }).waitFor();
    expect(await page.getByRole('region', { name: 'Your first working workflow' }).count()).toBe(0);
  });

  it('runs the draft of a manual workflow from the editor without publishing it, lighting nodes up from the event stream', async () => {
    const imported = (await callApiAsPage(page, 'POST', `/api/v1/workspaces/${slug}/workflows/import`, { document: MANUAL_WORKFLOW })).json as { workflow: { id: string } };
    editorUrl = `/w/${slug}/workflows/${imported.workflow.id}`;
    const streams: { url: string; contentType: string | undefined }[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/events')) streams.push({ url: response.url(), contentType: response.headers()['content-type'] });
    });
    await page.goto(editorUrl);
    await page.getByRole('toolbar', { name: 'Workflow editor' }).waitFor();

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const panel = page.getByRole('complementary', { name: 'Run' });
    await panel.getByText('nothing is published').waitFor();
    await panel.getByLabel('Input (JSON)').fill('{ "name": "Grace" }');
    await expectAccessible('83-editor-run-panel');
    await panel.getByRole('button', { name: 'Run draft' }).click();

    for (const id of ['start', 'hello', 'shout']) {
      await expect.poll(() => page.locator(`.react-flow__node[data-id="${id}"] .weft-node`).getAttribute('data-run-status'), { timeout: 15_000 }).toBe('succeeded');
    }
    await expect.poll(() => panel.getByTestId('editor-run-status').textContent()).toBe('Succeeded');
    await expectAccessible('84-editor-run-succeeded');

    // The canvas agrees with the run as the API stores it: a run of the draft, with every step.
    const runHref = await panel.getByRole('link', { name: 'Open the run' }).getAttribute('href');
    const runId = runHref!.split('/').at(-1)!;
    const run = await page.evaluate((url) => fetch(url).then((response) => response.json()), `/api/v1/workspaces/${slug}/runs/${runId}`) as { status: string; isDraft: boolean; versionNumber: number | null; steps: { nodeId: string; status: string; output: unknown }[] };
    expect(run).toMatchObject({ status: 'succeeded', isDraft: true, versionNumber: null });
    expect(run.steps.map((step) => [step.nodeId, step.status])).toEqual([['start', 'succeeded'], ['hello', 'succeeded'], ['shout', 'succeeded']]);
    expect(await page.locator('.weft-node[data-run-status="succeeded"]').count()).toBe(3);
    // Nothing was published to run it.
    const workflow = await page.evaluate((url) => fetch(url).then((response) => response.json()), `/api/v1/workspaces/${slug}/workflows/${imported.workflow.id}`) as { publishedVersion: number | null; publishedVersionId: string | null };
    expect(workflow).toMatchObject({ publishedVersion: null, publishedVersionId: null });
    expect(await page.getByText('Live: v1').count()).toBe(0);
    // The nodes lit up from the run's event stream, not from polling.
    expect(streams).toContainEqual({ url: expect.stringContaining(`/runs/${runId}/events`), contentType: 'text/event-stream; charset=utf-8' });

    // Published on purpose now, for the version tests below; the run stays on the canvas.
    await publishFromEditor(page, { version: 1 });
    draftRunId = runId;

    // Click-through: a node of the run shows its output in the inspector.
    await panel.getByRole('button', { name: /Shout it/ }).click();
    const output = page.getByRole('region', { name: 'In this run' });
    await expect.poll(() => output.getByLabel('Run output of shout').textContent()).toContain('HELLO, GRACE');
  });

  it('suggests an upstream field in an expression and inserts it with the keyboard', async () => {
    const field = page.getByLabel('Expression of loud');
    await field.fill('');
    await field.pressSequentially('$uppercase($nodes.he');
    expect(await field.getAttribute('role')).toBe('combobox');
    await expect.poll(() => field.getAttribute('aria-expanded')).toBe('true');
    const listbox = page.getByRole('listbox', { name: 'Suggestions' });
    await expect.poll(() => listbox.getByRole('option').allTextContents()).toContainEqual(expect.stringContaining('$nodes.hello.greeting'));
    await expectAccessible('85-editor-autocomplete');
    // `$nodes.hello` first, then its field: the second option, chosen with the arrow keys and Enter.
    await page.keyboard.press('ArrowDown');
    expect(await listbox.getByRole('option', { selected: true }).textContent()).toContain('$nodes.hello.greeting');
    await page.keyboard.press('Enter');
    await expect.poll(() => field.inputValue()).toBe('$uppercase($nodes.hello.greeting');
    await field.pressSequentially(')');
    await page.keyboard.press('Escape');
    await expect.poll(() => field.getAttribute('aria-expanded')).toBe('false');
    expect(await field.inputValue()).toBe('$uppercase($nodes.hello.greeting)');
  });

  it('compares a version with the draft on the canvas and rolls back from there', async () => {
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('All changes saved').waitFor();
    // Add a node: duplicate "Shout it" and save.
    await page.locator('.react-flow__node[data-id="shout"]').click();
    await page.keyboard.press('Control+D');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(4);
    await publishFromEditor(page, { version: 2, hasUnsavedChanges: true });

    await page.getByRole('button', { name: 'Version history' }).click();
    await page.getByRole('button', { name: 'Compare with draft: v1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Changes from v1 to the saved draft' });
    await expect.poll(() => dialog.locator('[data-diff-status="added"]').count()).toBe(1);
    expect(await dialog.locator('[data-diff-status="changed"]').count()).toBe(1);
    await dialog.getByText('1 added').waitFor();
    await expect.poll(() => dialog.getByRole('list', { name: 'Changed nodes, params and connections' }).textContent()).toContain('shout: params.mapping.loud');
    await dialog.locator('.react-flow__node[data-id="shout"]').waitFor({ state: 'visible' });
    await expectAccessible('86-version-diff');

    await dialog.getByRole('button', { name: 'Make v1 live again' }).click();
    await page.getByText('Live: v3').waitFor();
  });

  it('runs the draft of a webhook workflow with a request body, then calls its live webhook and follows that run', async () => {
    await page.goto(`/w/${slug}/workflows`);
    await page.getByRole('link', { name: 'Hello webhook' }).click();
    await page.getByRole('toolbar', { name: 'Workflow editor' }).waitFor();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const panel = page.getByRole('complementary', { name: 'Run' });
    expect(await panel.getByTestId('run-webhook-url').textContent()).toMatch(new RegExp(`/hooks/${slug}/hello-`));
    await panel.getByLabel('Request body (JSON)').fill('{ "name": "Ada" }');
    // The draft, given the body as a request would carry it: the run's response is shown.
    await panel.getByRole('button', { name: 'Run draft' }).click();
    await expect.poll(() => panel.getByTestId('run-response').textContent(), { timeout: 15_000 }).toContain('Hello, Ada!');
    // Published by the tour: its live address answers too.
    await panel.getByRole('button', { name: /^Call live webhook/ }).click();
    await expect.poll(() => panel.getByTestId('webhook-reply').textContent()).toContain('Hello, Ada!');
    for (const id of ['webhook', 'greet', 'reply']) {
      await expect.poll(() => page.locator(`.react-flow__node[data-id="${id}"] .weft-node`).getAttribute('data-run-status'), { timeout: 15_000 }).toBe('succeeded');
    }
    await expectAccessible('87-editor-webhook-test');

    // The runs list marks the editor's draft run as such.
    await page.goto(`/w/${slug}/runs`);
    // (Ids made in the same millisecond share their first characters: the link is found by its address.)
    const runLink = page.locator(`a[href$="/runs/${draftRunId}"]`);
    await runLink.waitFor();
    expect(await runLink.getAttribute('aria-label')).toBe(`Run ${draftRunId.slice(0, 8)}, succeeded`);
    expect(await page.getByRole('row').filter({ has: runLink }).getByText('draft', { exact: true }).count()).toBe(1);
    expect(problems).toEqual([]);
  });
});
