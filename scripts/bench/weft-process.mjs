// How the benchmarks run Weft: through the `weft` command itself (bin/weft.js, its shebang sets
// the Node flags and allocator settings the server ships with), as a user's `weft start` does.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export function weftBinary(root) {
  return join(root, 'apps/server/bin/weft.js');
}

/** Runs one CLI command (create a user, import a workflow, …) and returns its stdout. */
export function runWeftCli(root, env, args) {
  return execFileSync(weftBinary(root), args, { env: { ...process.env, ...env }, encoding: 'utf8' });
}

/**
 * How to start the server: `weft start`, or with WEFT_BENCH_NODE_ARGS (a CPU profile:
 * `--cpu-prof --cpu-prof-dir=DIR`) node itself with those flags and the shebang's, since Node
 * refuses profiling flags in NODE_OPTIONS. The allocator settings the shebang sets go in `serverEnv`.
 */
export function serverCommand(root, args) {
  const extra = process.env.WEFT_BENCH_NODE_ARGS?.trim();
  if (!extra) return [weftBinary(root), args];
  return [process.execPath, [...extra.split(/\s+/), '--no-node-snapshot', weftBinary(root), ...args]];
}

/** The server's environment, with the allocator settings of the shebang when node is started directly. */
export function serverEnv(env) {
  const shebang = process.env.WEFT_BENCH_NODE_ARGS?.trim()
    ? { MALLOC_TRIM_THRESHOLD_: '1048576', MALLOC_MMAP_THRESHOLD_: '1048576', MALLOC_ARENA_MAX: '2' }
    : {};
  return { ...process.env, ...shebang, ...env };
}
