// Discord interaction latency: signed APPLICATION_COMMAND interactions posted
// to /discord/interactions/:botId at a fixed rate (open loop: a slow answer
// does not slow the sender down), answered by a 3-node flow (Discord command
// → transform → respond) with a type-4 reply. Reports p50/p90/p99/max at the
// target rate. The bot's token is checked against `weft standin discord`;
// Weft runs on PGlite. Loopback only, bounded in time.
import { spawn } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request as httpRequest } from 'node:http';
import { runWeftCli, serverCommand, serverEnv, weftBinary } from './weft-process.mjs';

const { values } = parseArgs({ options: { root: { type: 'string' }, results: { type: 'string' }, port: { type: 'string' } } });
const ROOT = values.root;
const RESULTS = values.results;
const PORT = Number(values.port ?? 18300);
const STANDIN_PORT = PORT + 7;
const RATE = Number(process.env.WEFT_BENCH_INTERACTION_RATE ?? 500);
const SECONDS = Number(process.env.WEFT_BENCH_INTERACTION_SECONDS ?? 20);
const WARMUP_SECONDS = 3;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function weft(env, args) {
  return runWeftCli(ROOT, env, args);
}

async function waitFor(url, what) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${what} did not start`);
}

async function startStandin() {
  const child = spawn(weftBinary(ROOT), ['standin', 'discord', '--port', String(STANDIN_PORT)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  for (let i = 0; i < 200 && !output.includes('DISCORD_BOT_TOKEN='); i++) await sleep(50);
  const read = (name) => new RegExp(`${name}=(\\S+)`).exec(output)?.[1];
  return { child, apiUrl: read('DISCORD_API_URL'), gatewayUrl: read('DISCORD_GATEWAY_URL'), applicationId: read('DISCORD_APPLICATION_ID'), token: read('DISCORD_BOT_TOKEN') };
}

const GRAPH = {
  nodes: [
    { id: 'command', type: 'trigger.discord-command', version: 1, name: 'Command', params: {}, position: { x: 0, y: 0 } },
    { id: 'shape', type: 'transform', version: 1, name: 'Shape', params: { mapping: { content: '"pong, " & user.username & " (" & $string(options.n) & ")"' } }, position: { x: 200, y: 0 } },
    { id: 'reply', type: 'respond', version: 1, name: 'Reply', params: { status: 200 }, position: { x: 400, y: 0 } },
  ],
  edges: [
    { from: 'command', fromPort: 'main', to: 'shape', toPort: 'main' },
    { from: 'shape', fromPort: 'main', to: 'reply', toPort: 'main' },
  ],
};

async function api(token, method, path, body) {
  const res = await fetch(`http://127.0.0.1:${PORT}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return JSON.parse(text);
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const standin = await startStandin();
const dataDir = mkdtempSync(join(tmpdir(), 'weft-discord-bench-'));
const env = {
  WEFT_DATA_DIR: dataDir,
  PORT: String(PORT),
  LOG_LEVEL: 'warn',
  WEFT_RATE_LIMIT_PER_MINUTE: '100000000',
  DISCORD_API_URL: standin.apiUrl,
  // The bot goes online through the stand-in's gateway, as it would through Discord's.
  DISCORD_GATEWAY_URL: standin.gatewayUrl,
};
let server;
try {
  const file = join(dataDir, 'ping.workflow.json');
  writeFileSync(file, JSON.stringify({ weft: 'workflow', version: 1, name: 'Ping', description: '', settings: { savingPolicy: 'failed', concurrencyLimit: null, timeoutMs: 30000 }, graph: GRAPH }));
  weft(env, ['admin', 'create-user', '--email', 'bench@example.test', '--username', 'bench', '--password', 'correct-horse-battery-42']);
  const imported = weft(env, ['import', file, '--workspace', 'bench', '--publish']);
  const workflowId = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/.exec(imported)?.[1];
  const apiToken = weft(env, ['tokens', 'create', '--user', 'bench', '--workspace', 'bench', '--scopes', 'bots:read,bots:write']).trim();
  server = spawn(...serverCommand(ROOT, ['start']), { env: serverEnv(ROOT, env), stdio: ['ignore', 'ignore', 'inherit'] });
  await waitFor(`http://127.0.0.1:${PORT}/readyz`, 'Weft');

  // Discord signs with the application's key; the stand-in's key stays in the stand-in, so the bot is registered with ours.
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  const bot = await api(apiToken, 'POST', '/api/v1/workspaces/bench/bots', { applicationId: standin.applicationId, publicKey: publicHex, token: standin.token });
  await api(apiToken, 'POST', `/api/v1/workspaces/bench/bots/${bot.id}/commands`, {
    kind: 'slash',
    name: 'ping',
    description: 'Answers pong',
    options: [{ type: 4, name: 'n', description: 'A number', required: false }],
    workflowId,
  });
  await api(apiToken, 'POST', `/api/v1/workspaces/bench/bots/${bot.id}/start`);

  const path = `/discord/interactions/${bot.id}`;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  function post(body, headers) {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: PORT, path, method: 'POST', headers, agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ statusCode: res.statusCode, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  let sequence = 0;
  function buildInteraction() {
    sequence += 1;
    const body = JSON.stringify({
      id: String(1_300_000_000_000_000_000n + BigInt(sequence)),
      application_id: standin.applicationId,
      type: 2,
      token: `bench-token-${sequence}`,
      version: 1,
      guild_id: '1',
      channel_id: '2',
      member: { user: { id: String(10_000 + (sequence % 500)), username: `user${sequence % 500}` }, roles: [], permissions: '2147483647' },
      data: { id: '3', name: 'ping', type: 1, options: [{ name: 'n', type: 4, value: sequence }] },
      locale: 'en-US',
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
    return { body, headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp } };
  }

  async function send(latencies, failures) {
    const { body, headers } = buildInteraction();
    const started = process.hrtime.bigint();
    try {
      const res = await post(body, headers);
      const reply = JSON.parse(res.text);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (res.statusCode === 200 && reply.type === 4) latencies.push(ms);
      else failures.push(`${res.statusCode} ${JSON.stringify(reply).slice(0, 200)}`);
    } catch (error) {
      failures.push(String(error));
    }
  }

  // Open loop: one request every 1000/RATE ms, whatever the answers do.
  async function drive(seconds, latencies, failures) {
    const pending = [];
    const intervalNs = BigInt(Math.round(1e9 / RATE));
    const start = process.hrtime.bigint();
    const total = Math.round(RATE * seconds);
    for (let i = 0; i < total; i++) {
      const due = start + intervalNs * BigInt(i);
      const wait = Number(due - process.hrtime.bigint()) / 1e6;
      if (wait > 1) await sleep(wait);
      pending.push(send(latencies, failures));
    }
    await Promise.all(pending);
    return Number(process.hrtime.bigint() - start) / 1e9;
  }

  await drive(WARMUP_SECONDS, [], []);
  const latencies = [];
  const failures = [];
  const elapsed = await drive(SECONDS, latencies, failures);
  latencies.sort((a, b) => a - b);
  const line =
    `[discord-interactions] rate=${RATE}/s sent=${latencies.length + failures.length} ok=${latencies.length} failed=${failures.length} ` +
    `achieved=${((latencies.length + failures.length) / elapsed).toFixed(0)}/s ` +
    `p50_ms=${percentile(latencies, 50).toFixed(1)} p90_ms=${percentile(latencies, 90).toFixed(1)} p99_ms=${percentile(latencies, 99).toFixed(1)} max_ms=${latencies.at(-1).toFixed(1)}`;
  console.log(line);
  if (failures.length > 0) console.log(`first failure: ${failures[0]}`);
  if (RESULTS) appendFileSync(join(RESULTS, 'discord-interactions.txt'), `${line}\n`);
  agent.destroy();
} finally {
  standin.child.kill('SIGINT');
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
  rmSync(dataDir, { recursive: true, force: true });
}
