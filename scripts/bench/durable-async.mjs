// Durable async benchmark: a webhook answers 202 and a 3-node workflow
// (trigger → transform → respond) runs through the queue with a checkpoint
// after every step. Reports completed runs/s at full load and the
// enqueue→done latency (run created_at → finished_at, both server clocks) at
// half of that load and at half the target throughput, on PGlite and on PostgreSQL.
// Loopback only, bounded.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runWeftCli, serverCommand, serverEnv } from './weft-process.mjs';

const { values } = parseArgs({ options: { root: { type: 'string' }, results: { type: 'string' }, port: { type: 'string' } } });
const ROOT = values.root;
const RESULTS = values.results;
const PORT = Number(values.port ?? 18300);
const TOTAL = Number(process.env.WEFT_BENCH_ASYNC_RUNS ?? 8000);
const EVENT_BODY = '{"type":"Order.Created","items":[1,2,3],"at":"2026-11-26T00:00:00Z"}';
const CONCURRENCY = 64;
const HALF_LOAD_SECONDS = 8;
// The issue's targets (completed runs/s); latency is also measured at half of them.
const TARGET_RUNS_PER_SECOND = { pglite: 1000, postgres: 2000 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function weft(env, args) {
  return runWeftCli(ROOT, env, args);
}

async function prepare(kind) {
  const dataDir = mkdtempSync(join(tmpdir(), 'weft-async-bench-'));
  const env = { WEFT_DATA_DIR: dataDir, PORT: String(PORT), LOG_LEVEL: 'warn', WEFT_RATE_LIMIT_PER_MINUTE: '100000000', WEFT_WEBHOOK_RATE_LIMIT_PER_MINUTE: '0' };
  if (kind === 'postgres') {
    const name = `weft_bench_${Date.now()}`;
    execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-qc', `CREATE DATABASE ${name}`]);
    env.DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${name}`;
    env.dropDatabase = name;
  }
  const document = JSON.parse(readFileSync(join(ROOT, 'examples/async-intake.workflow.json'), 'utf8'));
  document.settings = { ...document.settings, concurrencyLimit: null };
  const file = join(dataDir, 'bench-async.workflow.json');
  writeFileSync(file, JSON.stringify(document));
  weft(env, ['admin', 'create-user', '--email', 'bench@example.test', '--username', 'bench', '--password', 'correct-horse-battery-42']);
  weft(env, ['import', file, '--workspace', 'bench', '--publish']);
  const token = weft(env, ['tokens', 'create', '--user', 'bench', '--workspace', 'bench', '--scopes', 'runs:read']).trim();
  return { env, token };
}

async function startServer(env) {
  const child = spawn(...serverCommand(ROOT, ['start']), { env: serverEnv(ROOT, env), stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/readyz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error('Weft did not start');
}

// The load generator shares the machine's two cores with Weft and its database: it must cost as little as
// possible. `fetch` took 70 % of a core at 1,400 requests/s; a keep-alive node:http agent and wrk much less.
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post() {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: PORT, path: '/hooks/bench/events', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': EVENT_BODY.length } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 202 ? resolve() : reject(new Error(`webhook answered ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(EVENT_BODY);
  });
}

const WRK_DONE_MARK = 'weft-bench: all requests answered';
const hasWrk = () => spawnSync('wrk', ['--version']).error === undefined;

/** Runs wrk with a Lua script on the async webhook; rejects on failed requests. */
async function runWrk(lua, seconds) {
  const script = join(RESULTS, 'durable-async.lua');
  writeFileSync(script, `wrk.method = "POST"\nwrk.body = '${EVENT_BODY}'\nwrk.headers["Content-Type"] = "application/json"\n${lua}`);
  // Asynchronously: the event loop must go on (a blocked one would miss idle keep-alive sockets closing).
  const wrk = spawn('wrk', ['-t1', `-c${CONCURRENCY}`, `-d${seconds}s`, '--timeout', '10s', '-s', script, `http://127.0.0.1:${PORT}/hooks/bench/events`]);
  let out = '';
  wrk.stdout.on('data', (chunk) => {
    out += chunk;
    // wrk.thread:stop() ends the sending but wrk itself waits out its duration: the script says when it
    // is done, and SIGINT makes wrk print its summary and exit now.
    if (out.includes(WRK_DONE_MARK)) wrk.kill('SIGINT');
  });
  const code = await new Promise((resolve) => wrk.on('close', resolve));
  if (code !== 0) throw new Error(`wrk exited with ${code}: ${out}`);
  const failed = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? /Socket errors: (.*)/.exec(out)?.[1];
  if (failed) throw new Error(`wrk saw failed requests: ${failed}`);
}

/** TOTAL requests from CONCURRENCY connections as fast as Weft answers: wrk stops itself after TOTAL answers. */
async function sendFullLoad() {
  if (!hasWrk()) return sendFullLoadFromNode();
  await runWrk(
    `local left = ${TOTAL}\nresponse = function(status, headers, body)\n  left = left - 1\n  if left == 0 then\n    io.write("${WRK_DONE_MARK}\\n")\n    io.flush()\n    wrk.thread:stop()\n  end\nend\n`,
    120,
  );
}

/**
 * About `rate` requests a second for `seconds`: each of the CONCURRENCY connections waits a random
 * pause (mean CONCURRENCY/rate s) before each request, so arrivals are spread out, not in waves.
 */
async function sendSteadyLoad(rate, seconds) {
  if (!hasWrk()) return sendSteadyLoadFromNode(rate, seconds);
  const meanPauseMs = (CONCURRENCY * 1000) / rate;
  await runWrk(`math.randomseed(42)\ndelay = function()\n  return math.floor(math.random() * 2 * ${meanPauseMs})\nend\n`, seconds);
}

async function sendSteadyLoadFromNode(rate, seconds) {
  const interval = 1000 / rate;
  const pending = [];
  for (let i = 0, t0 = Date.now(); i < rate * seconds; i++) {
    const wait = t0 + i * interval - Date.now();
    if (wait > 1) await sleep(wait);
    pending.push(post());
  }
  await Promise.all(pending);
}

async function sendFullLoadFromNode() {
  let sent = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (sent < TOTAL) {
      sent += 1;
      await post();
    }
  }));
}

async function countOpen(token) {
  let open = 0;
  for (const status of ['queued', 'running']) {
    const res = await fetch(`http://127.0.0.1:${PORT}/api/v1/workspaces/bench/runs?status=${status}&limit=1`, { headers: { authorization: `Bearer ${token}` } });
    open += (await res.json()).items.length;
  }
  return open;
}

async function listRuns(token) {
  const runs = [];
  let cursor = null;
  do {
    const url = `http://127.0.0.1:${PORT}/api/v1/workspaces/bench/runs?limit=200${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).json();
    runs.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return runs;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** The fields of /proc/PID/stat after the command name (which may hold spaces): index 0 is field 3, the state. */
function readStatFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return { command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), fields: stat.slice(stat.lastIndexOf(')') + 2).split(' ') };
}

/** CPU ticks in fields 14 (utime), 15 (stime) and, with `withChildren`, 16 and 17 (exited children's). */
function cpuTicks(fields, withChildren) {
  const own = Number(fields[11]) + Number(fields[12]);
  return withChildren ? own + Number(fields[13]) + Number(fields[14]) : own;
}

/** CPU time a process (all its threads: PGlite's too) has used so far (Linux), in ms. */
function readCpuMs(pid) {
  return (cpuTicks(readStatFields(pid).fields, false) * 1000) / TICKS_PER_SECOND;
}

/**
 * CPU time the local PostgreSQL server has used so far (Linux), in ms: every `postgres` process,
 * with what the postmaster's exited children (backends of closed connections) used.
 */
function readPostgresCpuMs() {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const { command, fields } = readStatFields(pid);
      if (command === 'postgres') ticks += cpuTicks(fields, true);
    } catch {
      // the process ended meanwhile
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Resident memory of a process (Linux), in MB. */
function readRssMb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmRSS:'));
  return line ? Math.round(Number(line.split(/\s+/)[1]) / 1024) : NaN;
}

/** Sends about `rate` runs a second for HALF_LOAD_SECONDS, waits for them, and returns their enqueue→done latencies. */
async function measureLatency(token, rate) {
  const start = Date.now();
  await sendSteadyLoad(rate, HALF_LOAD_SECONDS);
  while ((await countOpen(token)) > 0) await sleep(50);
  const latencies = (await listRuns(token))
    .filter((r) => Date.parse(r.createdAt) >= start && r.finishedAt)
    .map((r) => Date.parse(r.finishedAt) - Date.parse(r.createdAt))
    .sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), count: latencies.length };
}

async function measure(kind) {
  const { env, token } = await prepare(kind);
  const server = await startServer(env);
  try {
    // Idle memory with this database (PGlite's WebAssembly heap is in the process; PostgreSQL's is not).
    await sleep(2000);
    const idleRss = readRssMb(server.pid);
    // Full load: TOTAL requests from CONCURRENCY senders; done when the queue is empty.
    const started = Date.now();
    const cpuBefore = readCpuMs(server.pid);
    const databaseCpuBefore = kind === 'postgres' ? readPostgresCpuMs() : 0;
    await sendFullLoad();
    while ((await countOpen(token)) > 0 && Date.now() - started < 120_000) await sleep(50);
    const cpuMs = readCpuMs(server.pid) - cpuBefore;
    const databaseCpuMs = kind === 'postgres' ? readPostgresCpuMs() - databaseCpuBefore : 0;
    const runs = await listRuns(token);
    const done = runs.filter((r) => r.status === 'succeeded');
    const fullLoadRuns = runs.length;
    const lastFinish = Math.max(...done.map((r) => Date.parse(r.finishedAt)));
    const throughput = done.length / ((lastFinish - started) / 1000);

    // Half load: about half the throughput measured, spread out, then enqueue→done latency of those runs;
    // then the same at half the target throughput, which does not move with how busy the host was.
    const rate = Math.max(10, Math.floor(throughput / 2));
    const half = await measureLatency(token, rate);
    const targetRate = TARGET_RUNS_PER_SECOND[kind] / 2;
    const atTarget = await measureLatency(token, targetRate);
    const line =
      `[durable-async ${kind}] ${done.length}/${fullLoadRuns} runs succeeded, ${throughput.toFixed(0)} completed runs/s; ` +
      `at ${rate}/s: enqueue→done p50 ${half.p50} ms, p99 ${half.p99} ms (${half.count} runs, ${Math.round(half.count / HALF_LOAD_SECONDS)}/s sent); ` +
      `at ${targetRate}/s (half the target): p50 ${atTarget.p50} ms, p99 ${atTarget.p99} ms (${Math.round(atTarget.count / HALF_LOAD_SECONDS)}/s sent); ` +
      `server idle RSS ${idleRss} MB; Weft's CPU ${((cpuMs * 1000) / done.length).toFixed(0)} µs per run at full load` +
      (kind === 'postgres' ? `, PostgreSQL's ${((databaseCpuMs * 1000) / done.length).toFixed(0)} µs` : '');
    console.log(line);
    appendFileSync(join(RESULTS, 'durable-async.txt'), line + '\n');
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    if (env.dropDatabase) execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-qc', `DROP DATABASE IF EXISTS ${env.dropDatabase} WITH (FORCE)`]);
    // An embedded database of the full run is ~190 MB.
    rmSync(env.WEFT_DATA_DIR, { recursive: true, force: true });
  }
}

for (const kind of (process.env.WEFT_BENCH_ASYNC_DATABASES ?? 'pglite,postgres').split(',')) {
  try {
    await measure(kind);
  } catch (error) {
    console.log(`[durable-async ${kind}] failed: ${error.message}`);
  }
}
