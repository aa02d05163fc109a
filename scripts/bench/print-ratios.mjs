// Reads summary.tsv written by shared/bench/load.sh and prints Weft's W1
// throughput as ratios of the peers measured in the same run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const file = join(dir, 'summary.tsv');
if (!existsSync(file)) {
  console.log(`no results in ${dir}`);
  process.exit(0);
}
const rows = new Map();
for (const line of readFileSync(file, 'utf8').trim().split('\n')) {
  const [name, ...fields] = line.split('\t');
  rows.set(name, Object.fromEntries(fields.map((f) => f.split('=')).map(([k, v]) => [k, v])));
}
const rps = (name) => Number(rows.get(name)?.rps ?? NaN);
const baseline = rps('baseline-http');
const nodered = Math.max(rps('nodered-function'), rps('nodered-change'));
console.log('W1 results (req/s, same run):');
for (const [name, row] of rows) console.log(`  ${name.padEnd(20)} ${String(row.rps).padStart(10)} req/s  p50 ${row.p50}  p99 ${row.p99}  idle ${row.rss_idle_MB} MB`);
for (const [name, target] of [['weft-w1-failed', 0.5], ['weft-w1-all', 0.25]]) {
  if (!rows.has(name)) continue;
  // WEFT_BENCH_ONLY=weft measures no peers: ratios need them from the same run.
  if (Number.isNaN(baseline) || Number.isNaN(nodered)) {
    console.log(`${name}: no ratios (the peers were not measured in this run; run \`npm run bench\` without WEFT_BENCH_ONLY)`);
    continue;
  }
  const ofBaseline = rps(name) / baseline;
  const ofNodered = rps(name) / nodered;
  console.log(
    `${name}: ${(100 * ofBaseline).toFixed(0)} % of bare node:http (target ≥ ${target * 100} %), ` +
      `${ofNodered.toFixed(1)}× Node-RED${name === 'weft-w1-failed' ? ' (target ≥ 5×)' : ''}`,
  );
}
const asyncFile = join(dir, 'durable-async.txt');
if (existsSync(asyncFile)) console.log(readFileSync(asyncFile, 'utf8').trim());
const discordFile = join(dir, 'discord-interactions.txt');
if (existsSync(discordFile)) console.log(`${readFileSync(discordFile, 'utf8').trim()}  (target: p99 < 50 ms at 500/s)`);
const startup = join(dir, 'startup.txt');
if (existsSync(startup)) console.log(readFileSync(startup, 'utf8').trim());
