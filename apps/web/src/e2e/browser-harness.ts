import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

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

/** Signs in through the login form and waits for the workspace's workflows page. */
export async function logIn(page: Page, login: string, password: string, workspaceSlug: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email or username').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(new RegExp(`/w/${workspaceSlug}/workflows`));
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
