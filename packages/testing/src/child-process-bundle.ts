import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'esbuild';

const CACHE_DIR = resolve(import.meta.dirname, '../../../node_modules/.cache/weft-test-processes');

/** Workspace packages are bundled from source (TypeScript); everything else is imported from node_modules at run time. */
const bundleWorkspacePackagesOnly: Plugin = {
  name: 'bundle-workspace-packages-only',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@weft/') ? undefined : { path: args.path, external: true }));
  },
};

/**
 * Bundles a TypeScript entry point into one ESM file that `child_process.fork`
 * can start: tests that need a second real process (a worker to kill, two
 * workers racing) run it without a TypeScript loader.
 */
export async function bundleForChildProcess(entryPoint: string, name: string): Promise<{ file: string; remove(): void }> {
  // Loaded on use: @weft/testing is also bundled into the CLI (the Discord stand-in), which never calls this.
  const { build } = await import('esbuild');
  mkdirSync(CACHE_DIR, { recursive: true });
  const file = join(CACHE_DIR, `${name}-${process.pid}-${Date.now()}.mjs`);
  await build({ entryPoints: [entryPoint], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: file, plugins: [bundleWorkspacePackagesOnly], logLevel: 'silent' });
  return { file, remove: () => rmSync(file, { force: true }) };
}
