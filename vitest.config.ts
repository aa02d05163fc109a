import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/*/src/**/*.test.ts', 'modules/*/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // The temporary directory first: the template's dump goes in it too.
    globalSetup: ['packages/testing/src/temp-dir.global-setup.ts', 'packages/testing/src/database-template.global-setup.ts'],
    // PGlite is single-threaded WebAssembly; two cores run two test files at once.
    maxWorkers: 2,
    // isolated-vm (the code node's sandbox) needs it on Node 20+.
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
    fileParallelism: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
