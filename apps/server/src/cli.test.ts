import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows } from '@weft/db';
import { newId } from '@weft/kernel';

/**
 * The real `weft` command as a user runs it: a separate process on an
 * embedded database in its own data dir.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'apps/server/bin/weft.js');

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}, 60_000);

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

// Run as a user runs it: the file is the command, its first line starts Node.
function startWeft(env: Record<string, string>, args: string[] = ['start']): Running {
  const child = spawn(BIN, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return { child, output: () => output, exited };
}

async function waitForReady(port: number, running: Running): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (running.child.exitCode !== null) throw new Error(`weft exited early:\n${running.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`weft did not become ready:\n${running.output()}`);
}

/** The server answers /readyz once it listens; the worker starts after that, and the ready line is logged last. */
async function waitForOutput(running: Running, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!pattern.test(running.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

describe('weft CLI', () => {
  it('runs the Discord stand-in for offline bot development and stops on SIGINT', async () => {
    const port = await freePort();
    const running = startWeft({}, ['standin', 'discord', '--port', String(port)]);
    const deadline = Date.now() + 20_000;
    while (!running.output().includes('DISCORD_GATEWAY_URL=') && Date.now() < deadline && running.child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(running.output()).toContain(`DISCORD_API_URL=http://127.0.0.1:${port}/api/v10`);
    const token = /token[^:]*:\s*(\S+)/i.exec(running.output())?.[1];
    expect(token, running.output()).toBeTruthy();
    // It answers as discord.com does for the printed bot token.
    const me = await fetch(`http://127.0.0.1:${port}/api/v10/users/@me`, { headers: { authorization: `Bot ${token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { bot?: boolean }).bot).toBe(true);
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
  });

  it('is built as ASCII only, which V8 keeps as one-byte text (half the memory of two-byte)', () => {
    for (const file of builtFiles()) {
      // eslint-disable-next-line no-control-regex
      expect({ file, nonAscii: readFileSync(file, 'utf8').match(/[^\x00-\x7f]/g) ?? [] }).toEqual({ file, nonAscii: [] });
    }
  });

  it('loads rarely used SDKs only when first used, not at start-up', () => {
    const loadedAtStart = staticImportClosure(join(ROOT, 'apps/server/dist/weft.js'));
    // Each file's source map names the sources bundled into it.
    const sourcesOf = (files: string[]) => files.flatMap((file) => (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources);
    const atStart = sourcesOf(loadedAtStart);
    const lazily = sourcesOf(builtFiles().filter((file) => !loadedAtStart.includes(file)));
    const contains = (sources: string[], name: string) => sources.some((source) => source.includes(name));
    // pg only for a PostgreSQL server: importing it makes Node load its fetch implementation.
    for (const sdk of ['node_modules/@discordjs/rest/', 'node_modules/@discordjs/ws/', 'node_modules/nodemailer/', 'node_modules/qrcode/', 'node_modules/vitest/', 'node_modules/pg/']) {
      expect({ sdk, atStart: contains(atStart, sdk), lazily: contains(lazily, sdk) }).toEqual({ sdk, atStart: false, lazily: true });
    }
    // Fastify's schema compilers are never used (zod validates), so they are not bundled at all.
    for (const unused of ['node_modules/ajv/', 'node_modules/fast-json-stringify/index.js', 'node_modules/@fastify/ajv-compiler/']) {
      expect({ unused, bundled: contains([...atStart, ...lazily], unused) }).toEqual({ unused, bundled: false });
    }
  });

  it('refuses to boot on a bad environment value and names the variable', async () => {
    const running = startWeft({ PORT: 'eighty', WEFT_DATA_DIR: mkdtempSync(join(tmpdir(), 'weft-cli-')) });
    expect(await running.exited).toBe(78);
    expect(running.output()).toMatch(/PORT: /);
  });

  it('migrates, starts on an embedded database, stops cleanly on SIGTERM and keeps its data across restarts', async () => {
    // One data dir for the whole story: creating an embedded database (initdb) is the slow part.
    const dataDir = mkdtempSync(join(tmpdir(), 'weft-cli-'));
    const port = await freePort();
    const env = { PORT: String(port), WEFT_DATA_DIR: dataDir };

    const migrate = startWeft(env, ['migrate']);
    expect(await migrate.exited).toBe(0);
    expect(migrate.output()).toMatch(/Applied \d+ migration\(s\): 0000_init/);
    const again = startWeft(env, ['migrate']);
    expect(await again.exited).toBe(0);
    expect(again.output()).toContain('Database is up to date.');

    const first = startWeft(env);
    await waitForReady(port, first);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    // The command's first line gave the server the allocator settings its memory is measured with.
    const serverEnvironment = readFileSync(`/proc/${first.child.pid}/environ`, 'utf8').split('\0');
    expect(serverEnvironment).toEqual(expect.arrayContaining(['MALLOC_TRIM_THRESHOLD_=1048576', 'MALLOC_MMAP_THRESHOLD_=1048576', 'MALLOC_ARENA_MAX=2']));
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('stopped cleanly');
    expect(first.output()).not.toContain('applied database migrations');
    const secretsAfterFirst = readFileSync(join(dataDir, 'secrets.json'), 'utf8');

    // Data written while it is stopped is still there after the next boot.
    const marker = newId();
    const database = await openDatabase({ dataDir });
    await database.db.execute(sql`INSERT INTO audit_log (id, actor_type, action) VALUES (${marker}, 'system', 'test.marker')`);
    await database.close();

    const second = startWeft(env);
    await waitForReady(port, second);
    await waitForOutput(second, /"readyMs":\d+/);
    expect(second.output()).toMatch(/"readyMs":\d+/);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).toBe(secretsAfterFirst);

    const reopened = await openDatabase({ dataDir });
    const rows = await queryRows(reopened.db, sql`SELECT id FROM audit_log WHERE id = ${marker}`);
    await reopened.close();
    expect(rows).toHaveLength(1);
  }, 120_000);

  it('killed (SIGKILL) under webhook load saving every run: every run it answered is stored after the next start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'weft-cli-'));
    const port = await freePort();
    const env = { PORT: String(port), WEFT_DATA_DIR: dataDir, WEFT_WEBHOOK_RATE_LIMIT_PER_MINUTE: '0' };
    const workflow = JSON.parse(readFileSync(join(ROOT, 'examples/w1.workflow.json'), 'utf8')) as { settings?: object };
    workflow.settings = { ...workflow.settings, savingPolicy: 'all' };
    writeFileSync(join(dataDir, 'w1.json'), JSON.stringify(workflow));
    const user = startWeft(env, ['admin', 'create-user', '--email', 'crash@example.test', '--username', 'crash', '--password', 'correct-horse-battery-42']);
    expect(await user.exited).toBe(0);
    const imported = startWeft(env, ['import', join(dataDir, 'w1.json'), '--workspace', 'crash', '--publish']);
    expect(await imported.exited).toBe(0);

    const server = startWeft(env);
    await waitForReady(port, server);
    const answered: string[] = [];
    let isKilled = false;
    // Eight clients in a closed loop, as a load generator; the process is killed in the middle of it.
    const client = async () => {
      while (!isKilled) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/hooks/crash/w1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":41,"name":"bob"}' });
          if (res.status === 200 && ((await res.json()) as { sum?: number }).sum === 42) answered.push(res.headers.get('x-weft-run-id')!);
        } catch {
          // killed with this request in flight: never answered, so it may or may not be stored
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    while (answered.length < 300) await new Promise((r) => setTimeout(r, 5));
    server.child.kill('SIGKILL');
    isKilled = true;
    await server.exited;
    await Promise.all(clients);

    const restarted = startWeft(env);
    await waitForReady(port, restarted);
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    const database = await openDatabase({ dataDir });
    const stored = await queryRows<{ id: string }>(database.db, sql`SELECT id FROM runs WHERE status = 'succeeded'`);
    await database.close();
    const storedIds = new Set(stored.map((row) => row.id));
    expect(answered.filter((id) => !storedIds.has(id))).toEqual([]);
    expect(readdirSync(join(dataDir, 'run-journal'))).toEqual([]);
  }, 120_000);
});

function builtFiles(dir = join(ROOT, 'apps/server/dist')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? builtFiles(join(dir, entry.name)) : entry.name.endsWith('.js') ? [join(dir, entry.name)] : [],
  );
}

/** The bundle files a process reads before running: the entry and its static imports, transitively. */
function staticImportClosure(entry: string, seen: string[] = []): string[] {
  if (seen.includes(entry)) return seen;
  seen.push(entry);
  for (const match of readFileSync(entry, 'utf8').matchAll(/(?:from|import)\s*"(\.\/[^"]+\.js)"/g)) {
    staticImportClosure(join(dirname(entry), match[1]!), seen);
  }
  return seen;
}
