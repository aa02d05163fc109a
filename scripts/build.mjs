// Bundles the `weft` CLI (server + worker) with its npm dependencies into
// dist/weft.js and a few shared chunks: start-up reads those instead of
// resolving hundreds of modules (about half the cold-start time). Packages
// that load native addons, WebAssembly or worker-thread files by path stay
// external.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const ROOT = new URL('..', import.meta.url).pathname;
process.chdir(ROOT); // paths below are relative to the repository

const EXTERNAL = [
  /^@electric-sql\/pglite/, // WebAssembly and data files next to its code
  /^pg-native$/, // optional native binding of pg
  /^pino/, // transports run in worker threads loaded by file path
  /^thread-stream/,
  /^@node-rs\//, // native argon2
  /^isolated-vm/, // native sandbox
  /^esbuild$/, // only @weft/testing's child-process bundler uses it, in tests, loaded lazily
  /^esbuild/,
  // Fastify requires its default schema compilers only when the app brings none; createHttpApp
  // brings its own (zod validates), so Ajv and fast-json-stringify are never loaded.
  /^@fastify\/ajv-compiler$/,
  /^@fastify\/fast-json-stringify-compiler$/,
];

const OUT_DIR = 'apps/server/dist';
rmSync(OUT_DIR, { recursive: true, force: true }); // chunks of an earlier build must not linger

const result = await build({
  entryPoints: { weft: 'apps/server/src/cli.ts' },
  outdir: OUT_DIR,
  // What the code loads with import() on first use (Discord SDKs, nodemailer, the stand-ins)
  // becomes a chunk read only then, instead of source text every process keeps in memory.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  // CommonJS dependencies inside an ESM bundle still call require() for built-ins.
  banner: { js: "import { createRequire as __weftCreateRequire } from 'node:module'; const require = __weftCreateRequire(import.meta.url);" },
  plugins: [
    {
      name: 'keep-runtime-loaded-packages-external',
      setup(builder) {
        builder.onResolve({ filter: /^[^./]/ }, (args) =>
          EXTERNAL.some((pattern) => pattern.test(args.path)) ? { path: args.path, external: true } : undefined,
        );
      },
    },
  ],
});

// V8 keeps the bundle's source in memory for as long as the process runs, as one-byte text only
// when every character is ASCII: one em dash in a comment (esbuild escapes strings, not comments)
// made it 15 MB of two-byte text instead of 8 MB. Comments are the only place left to escape;
// the escape shifts source-map columns on those few comment lines only.
for (const file of Object.keys(result.metafile.outputs)) if (file.endsWith('.js')) await escapeNonAsciiIn(file);

async function escapeNonAsciiIn(file) {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const text = readFileSync(file, 'utf8');
  // eslint-disable-next-line no-control-regex
  const escaped = text.replace(/[^\x00-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (escaped !== text) writeFileSync(file, escaped);
}

// The dashboard: rebuilt only when its sources are newer than the last build,
// so `npm start` stays quick after the first time.
await buildDashboardIfStale();

async function buildDashboardIfStale() {
  const { existsSync, statSync, readdirSync } = await import('node:fs');
  const { join } = await import('node:path');
  const webDir = 'apps/web';
  if (!existsSync(join(webDir, 'index.html'))) return;
  const newest = (dir) =>
    readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
      const path = join(dir, entry.name);
      const time = entry.isDirectory() ? newest(path) : statSync(path).mtimeMs;
      return Math.max(latest, time);
    }, 0);
  const builtIndex = join(webDir, 'dist', 'index.html');
  const sourcesChanged = Math.max(newest(join(webDir, 'src')), statSync(join(webDir, 'index.html')).mtimeMs);
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= sourcesChanged && !process.argv.includes('--force')) return;
  // The dashboard's Vite may sit in apps/web/node_modules (the test runner pins another major at the root).
  const { execFileSync } = await import('node:child_process');
  const viteBin = [join(webDir, 'node_modules/vite/bin/vite.js'), 'node_modules/vite/bin/vite.js'].find((path) => existsSync(path));
  if (!viteBin) throw new Error('vite is not installed: run npm install');
  // Always a production build: under NODE_ENV=test (vitest) Vite would ship React's development build.
  execFileSync(process.execPath, [join(ROOT, viteBin), 'build', '--mode', 'production', '--logLevel', 'warn'], {
    cwd: webDir,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
