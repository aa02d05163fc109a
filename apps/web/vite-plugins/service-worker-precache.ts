import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';

/** Files the offline shell does not need: the worker itself and the install-only icons. */
const SKIPPED = [/^sw\.js$/, /\.png$/, /\.map$/];

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/**
 * Fills `dist/sw.js` (copied from public/) with the list of built files and a
 * cache version derived from their content, so each deploy installs a fresh
 * cache and drops the old one. Runs after the bundle and public files are written.
 */
export function writeServiceWorkerPrecache(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'weft:service-worker-precache',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    closeBundle() {
      const outDir = join(config.root, config.build.outDir);
      const workerPath = join(outDir, 'sw.js');
      const files = listFiles(outDir)
        .map((file) => relative(outDir, file).split('\\').join('/'))
        .filter((file) => !SKIPPED.some((pattern) => pattern.test(file)))
        .sort();
      const hash = createHash('sha256');
      for (const file of files) hash.update(file).update(readFileSync(join(outDir, file)));
      const urls = files.map((file) => (file === 'index.html' ? '/' : `/${file}`));
      const source = readFileSync(workerPath, 'utf8')
        .replace("'__CACHE_VERSION__'", JSON.stringify(hash.digest('hex').slice(0, 12)))
        .replace('[/* __PRECACHE_URLS__ */]', JSON.stringify(urls));
      writeFileSync(workerPath, source);
    },
  };
}
