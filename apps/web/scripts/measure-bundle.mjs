#!/usr/bin/env node
// Prints (1) the gzipped size of the JavaScript a first visit loads and
// (2) how long the editor takes to open a generated 200-node workflow in
// Chromium and to answer a first click. The API is a stand-in (mock-api.mjs)
// so the figure is the dashboard's own cost, not the database's.
//
//   node apps/web/scripts/measure-bundle.mjs [--build] [--nodes 200] [--runs 5]
//   (DIST_DIR=… measures another build of the dashboard)
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { buildLargeWorkflow, installMockApi, serveDist } from './mock-api.mjs';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const distDir = process.env.DIST_DIR ?? join(webDir, 'dist');
const args = process.argv.slice(2);
const readOption = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const NODE_COUNT = readOption('--nodes', 200);
const RUNS = readOption('--runs', 5);
const BUDGET_KB = 300;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'];

if (args.includes('--build') || !existsSync(join(distDir, 'index.html'))) {
  const { build } = await import('vite');
  await build({ configFile: join(webDir, 'vite.config.ts'), root: webDir, logLevel: 'warn' });
}

function measureInitialJavaScript() {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const urls = [...html.matchAll(/<script[^>]+src="([^"]+)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((match) => match[1] ?? match[2]);
  return urls.map((url) => {
    const bytes = readFileSync(join(distDir, url));
    return { url, raw: bytes.length, gzip: gzipSync(bytes).length };
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Installed before any page script: marks when every node is on screen and measured (xyflow hides unmeasured nodes). */
function watchForCanvas(expected) {
  const check = () => {
    const nodes = document.querySelectorAll('.react-flow__node');
    const isReady = nodes.length >= expected && [...nodes].every((node) => node.style.visibility !== 'hidden');
    if (isReady) requestAnimationFrame(() => (window.__canvasReadyAt = performance.now()));
    else requestAnimationFrame(check);
  };
  window.__watchCanvas = () => {
    window.__canvasReadyAt = undefined;
    requestAnimationFrame(check);
  };
}

async function measureEditorOpen(baseUrl, workflow) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const results = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      // A fresh context each time: no HTTP cache, so the editor chunk is fetched as on a first open.
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, serviceWorkers: 'block' });
      const page = await context.newPage();
      await page.addInitScript(watchForCanvas, NODE_COUNT);
      await installMockApi(page, { workflows: [workflow] });
      await page.goto(`${baseUrl}/w/ada/workflows`);
      const link = page.getByRole('link', { name: workflow.name });
      await link.waitFor();
      // As on a real visit: the list preloads the editor chunk while idle, then the pointer reaches the row.
      await page.waitForFunction(() => performance.getEntriesByType('resource').some((entry) => entry.name.includes('workflow-editor-page') && entry.name.endsWith('.js')));
      await page.waitForLoadState('networkidle');
      await link.hover();
      const openedAt = await page.evaluate(() => {
        window.__watchCanvas();
        const startedAt = performance.now();
        document.querySelector('.table a[href*="/workflows/"]').click();
        return startedAt;
      });
      await page.waitForFunction(() => window.__canvasReadyAt !== undefined, null, { timeout: 30_000 });
      const readyAt = await page.evaluate(() => window.__canvasReadyAt);
      // Interactive: a click on a node selects it and opens its settings.
      const clickLatency = await page.evaluate(
        () =>
          new Promise((resolve) => {
            const node = document.querySelector('.react-flow__node[data-id="transform_100"]') ?? document.querySelector('.react-flow__node:last-child');
            const startedAt = performance.now();
            node.dispatchEvent(new MouseEvent('click', { bubbles: true }));
            const check = () => (document.querySelector('.react-flow__node.selected') && document.querySelector('.inspector-header') ? requestAnimationFrame(() => resolve(performance.now() - startedAt)) : requestAnimationFrame(check));
            check();
          }),
      );
      // The same workflow by its URL in a new tab: HTML, main bundle, editor chunk and data, all cold.
      const direct = await context.newPage();
      await direct.addInitScript(watchForCanvas, NODE_COUNT);
      await direct.addInitScript(() => window.addEventListener('DOMContentLoaded', () => window.__watchCanvas()));
      await installMockApi(direct, { workflows: [workflow] });
      await direct.goto(`${baseUrl}/w/ada/workflows/${workflow.id}`);
      await direct.waitForFunction(() => window.__canvasReadyAt !== undefined, null, { timeout: 30_000 });
      const directLoad = await direct.evaluate(() => window.__canvasReadyAt);
      results.push({ open: readyAt - openedAt, click: clickLatency, directLoad });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return results;
}

const files = measureInitialJavaScript();
const totalGzip = files.reduce((sum, file) => sum + file.gzip, 0);
console.log('Initial JavaScript (loaded by the first page):');
for (const file of files) console.log(`  ${file.url}  ${(file.raw / 1024).toFixed(1)} KB raw, ${(file.gzip / 1024).toFixed(1)} KB gzipped`);
console.log(`  total: ${(totalGzip / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB) ${totalGzip <= BUDGET_KB * 1024 ? 'OK' : 'OVER BUDGET'}`);

const server = await serveDist(distDir);
try {
  const runs = await measureEditorOpen(server.url, buildLargeWorkflow(NODE_COUNT));
  console.log(`\nMachine: ${cpus().length} cores, load average ${loadavg().map((value) => value.toFixed(1)).join(' ')} (other work inflates these times)`);
  console.log(`Editor with ${NODE_COUNT} nodes, ${RUNS} opens from the workflows list (data + render; the chunk was preloaded by the list):`);
  console.log(`  open → all nodes rendered: median ${median(runs.map((run) => run.open)).toFixed(0)} ms (runs: ${runs.map((run) => run.open.toFixed(0)).join(', ')})`);
  console.log(`  first click → node selected and its form shown: median ${median(runs.map((run) => run.click)).toFixed(0)} ms`);
  console.log(`  editor URL opened in a new tab (page load → all nodes rendered): median ${median(runs.map((run) => run.directLoad)).toFixed(0)} ms`);
  const total = median(runs.map((run) => run.open + run.click));
  console.log(`  open + first interaction: median ${total.toFixed(0)} ms (target < 1000 ms) ${total < 1000 ? 'OK' : 'OVER TARGET'}`);
} finally {
  server.close();
}
