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
 * The server's environment. WEFT_BENCH_NODE_ARGS adds Node flags for the server only (a CPU
 * profile: --cpu-prof --cpu-prof-dir=DIR), passed as NODE_OPTIONS since the shebang owns argv.
 */
export function serverEnv(env) {
  const extra = process.env.WEFT_BENCH_NODE_ARGS?.trim();
  const nodeOptions = [process.env.NODE_OPTIONS, extra].filter(Boolean).join(' ');
  return { ...process.env, ...env, ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) };
}
