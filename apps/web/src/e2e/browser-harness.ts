import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { NewAccount } from './account-steps';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const distIndex = join(webDir, 'dist/index.html');
const SCREENSHOT_DIR = join(webDir, 'test-results/screenshots');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'];

function newestModification(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newestModification(join(path, entry))));
}

/**
 * Builds apps/web/dist unless it is newer than every source, so the tests run
 * the dashboard as shipped. Two test files may race here: the build writes
 * the same files, and the later build wins with identical content.
 */
export async function ensureDashboardBuilt(): Promise<void> {
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((entry) => join(webDir, entry));
  const isFresh = existsSync(distIndex) && statSync(distIndex).mtimeMs >= Math.max(...sources.map(newestModification));
  if (isFresh) return;
  const { build } = await import('vite');
  // Vitest sets NODE_ENV=test, and Vite keeps a NODE_ENV it finds: React would ship its development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(webDir, 'vite.config.ts'), root: webDir, mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

/** What these tests use of apps/server's Platform (typed here so the web typecheck stays about web code). */
interface TestPlatform {
  app: { listen(options: { port: number; host: string }): Promise<string>; server: { address(): AddressInfo | string | null } };
  worker: { start(): Promise<void> };
  config: { dataDir: string };
  modules: { accounts: { api: { createUser(input: { email: string; username: string; password: string; isAdmin?: boolean }): Promise<unknown> } } };
  close(): Promise<void>;
}

/**
 * The one exception to "apps do not import apps": browser tests drive the real
 * server. Imported at run time by path, so `tsc -p apps/web` does not compile
 * the whole server (the root typecheck covers it).
 */
async function createTestPlatform(env: Record<string, string>): Promise<TestPlatform> {
  const module = (await import(new URL('../../../server/src/test-platform.ts', import.meta.url).href)) as { createTestPlatform(env: Record<string, string>): Promise<TestPlatform> };
  return module.createTestPlatform(env);
}

export interface RunningPlatform {
  baseUrl: string;
  dataDir: string;
  /** An instance administrator, made as the CLI's `weft admin create-user` does (sign-up never grants it). */
  createAdmin(input: { email: string; username: string; password: string }): Promise<void>;
  close(): Promise<void>;
}

/**
 * The whole platform (API, dashboard, worker) on a fresh test database and a
 * random port. `env` overrides configuration, e.g. DISCORD_API_URL → a stand-in.
 */
export async function startPlatform(env: Record<string, string> = {}, options: { port?: number } = {}): Promise<RunningPlatform> {
  const platform = await createTestPlatform(env);
  await platform.app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  await platform.worker.start();
  const { port } = platform.app.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir: platform.config.dataDir,
    createAdmin: async (input) => {
      await platform.modules.accounts.api.createUser({ ...input, isAdmin: true });
    },
    close: () => platform.close(),
  };
}

/**
 * A port free right now, for a platform whose public URL must be known before
 * it starts (the OAuth redirect URI registered at the Discord stand-in).
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolvePort(port));
    });
  });
}

/** What these tests use of @weft/testing's Discord stand-in (typed here for the same reason as TestPlatform). */
export interface DiscordStandinForTests {
  url: string;
  apiUrl: string;
  gatewayUrl: string;
  state: {
    commands: { countOverwrites(query: { applicationId: string; guildId?: string }): number };
    /** An OAuth application, e.g. the instance's "Sign in with Discord" one. */
    addApplication(input: { redirect_uris: string[] }): { id: string; client_secret: string };
    /** Who accepts at the stand-in's authorize page. */
    setAuthorizingUser(userId: string): void;
  };
  close(): Promise<void>;
}

export interface SeededBot {
  applicationId: string;
  publicKey: string;
  token: string;
  guildId: string;
  /** The Discord user who owns that guild. */
  ownerId: string;
}

/** The Discord stand-in on a random port with `seedBotWorld`: one application with a bot, in one guild. */
export async function startDiscordWithBot(): Promise<{ discord: DiscordStandinForTests; bot: SeededBot }> {
  const specifier = '@weft/testing';
  type World = { application: { id: string; public_key: string; bot?: { token: string } }; guild: { id: string }; owner: { id: string } };
  const testing = (await import(/* @vite-ignore */ specifier)) as {
    startDiscordStandin(): Promise<DiscordStandinForTests & { state: unknown }>;
    seedBotWorld(state: unknown): World;
  };
  const discord = await testing.startDiscordStandin();
  const world = testing.seedBotWorld(discord.state);
  return { discord, bot: { applicationId: world.application.id, publicKey: world.application.public_key, token: world.application.bot!.token, guildId: world.guild.id, ownerId: world.owner.id } };
}

/**
 * Browser tests need Debian's Chromium. CI installs it (.ci/run) and must run
 * them; on a developer machine without it they are skipped, not failed, so
 * `npm test` stays true on a fresh machine.
 */
export const CAN_RUN_BROWSER = existsSync('/usr/bin/chromium') || process.env.CI === 'true';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Mails the outbox holds for an address, oldest first (the mailer writes `<id>.json` when SMTP is off). */
export function readOutbox(dataDir: string, to: string): { subject: string; links: string[] }[] {
  const outbox = join(dataDir, 'outbox');
  if (!existsSync(outbox)) return [];
  return readdirSync(outbox)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(outbox, name), 'utf8')) as { to: string; subject: string; links: string[] })
    .filter((mail) => mail.to === to);
}

/** Waits for a mail whose link contains `pathPart`; returns that link re-pointed at this test server. */
export async function waitForMailLink(dataDir: string, to: string, pathPart: string, baseUrl: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const link = readOutbox(dataDir, to)
      .flatMap((mail) => mail.links)
      .find((item) => item.includes(pathPart));
    if (link) {
      const url = new URL(link);
      return `${baseUrl}${url.pathname}${url.search}${url.hash}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No mail to ${to} with a link to ${pathPart} arrived in the outbox`);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const axeSource = readFileSync(resolve(webDir, '../../node_modules/axe-core/axe.min.js'), 'utf8');

/**
 * Serious and critical axe-core violations of the page as it is now. The
 * script is evaluated through the DevTools protocol, so the app's CSP stays on.
 */
export async function findSeriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  const hasAxe = await page.evaluate(() => 'axe' in window);
  if (!hasAxe) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe.run(document, {
      resultTypes: ['violations'],
    });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, nodes: violation.nodes.map((node) => ({ target: node.target })) }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** No serious or critical axe violation on the page as it is now; the page is saved as `name` for review. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const violations = await findSeriousAccessibilityViolations(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
  await saveScreenshot(page, name);
}

/**
 * Calls the API as the page's own session (its cookie and CSRF token), for
 * set-up and checks a test does not make through the screens.
 */
export function callApiAsPage(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const csrf = decodeURIComponent(document.cookie.split('; ').find((part) => part.startsWith('weft_csrf='))?.slice(10) ?? '');
      const response = await fetch(path, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    },
    { method, path, body },
  );
}

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}

/** Collects page errors and failed same-origin requests, so a test can assert there were none. */
export function watchPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 500) problems.push(`${response.status()} from ${response.request().method()} ${response.url()}`);
  });
  return problems;
}

export interface TestPageOptions extends Pick<BrowserContextOptions, 'viewport' | 'reducedMotion'> {
  baseUrl: string;
}

/**
 * A fresh context and page on the platform, set up as every browser test
 * wants them: service workers blocked (a test that needs one opens its own
 * context), a step timeout shorter than the test's so a stuck step fails with
 * Playwright's own account of why, and page problems collected.
 */
export async function openTestPage(browser: Browser, options: TestPageOptions): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const { baseUrl, ...contextOptions } = options;
  const context = await browser.newContext({ ...contextOptions, baseURL: baseUrl, serviceWorkers: 'block' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page, problems: watchPageProblems(page) };
}

export interface DashboardSession {
  platform: RunningPlatform;
  browser: Browser;
  page: Page;
  /** Page errors and failed requests seen so far (watchPageProblems). */
  problems: string[];
  /** Closes the browser, then the platform. */
  close(): Promise<void>;
}

/**
 * What every browser test starts from: the dashboard built, the platform on a
 * fresh database (`env` and `port` as for startPlatform; `admin` made as an
 * instance administrator), Chromium, and a page from openTestPage.
 */
export async function startDashboardSession(
  options: Omit<TestPageOptions, 'baseUrl'> & { env?: Record<string, string>; port?: number; admin?: NewAccount },
): Promise<DashboardSession> {
  const { env, port, admin, ...pageOptions } = options;
  await ensureDashboardBuilt();
  const platform = await startPlatform(env, { port });
  let browser: Browser | undefined;
  try {
    if (admin) await platform.createAdmin(admin);
    const launched = await launchChromium();
    browser = launched;
    const { page, problems } = await openTestPage(launched, { ...pageOptions, baseUrl: platform.baseUrl });
    const close = async () => {
      await launched.close();
      await platform.close();
    };
    return { platform, browser: launched, page, problems, close };
  } catch (error) {
    // Nothing is left running for afterAll to find: the caller never got the session.
    await browser?.close();
    await platform.close();
    throw error;
  }
}

/** For `afterEach`: what the browser showed when a step failed, saved as `<prefix><step name>` beside the other screenshots. */
export async function saveScreenshotIfFailed(page: Page, task: { name: string; result?: { state?: string } }, prefix: string): Promise<void> {
  if (task.result?.state === 'fail') await saveScreenshot(page, `${prefix}${task.name.replace(/\W+/g, '-')}`);
}
