// How the benchmarks run Weft: through the `weft` command itself (bin/weft.js, its shebang sets
// the Node flags and allocator settings the server ships with), as a user's `weft start` does.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function weftBinary(root) {
  return join(root, 'apps/server/bin/weft.js');
}

/** Runs one CLI command (create a user, import a workflow, …) and returns its stdout. */
export function runWeftCli(root, env, args) {
  return execFileSync(weftBinary(root), args, { env: { ...process.env, ...env }, encoding: 'utf8' });
}

/**
 * What the shebang of bin/weft.js sets (`#!/usr/bin/env -S NAME=value… node --flag…`): read from
 * the file, so a server started without it runs exactly as `weft start` does.
 */
function readShebang(root) {
  const tokens = readFileSync(weftBinary(root), 'utf8').split('\n', 1)[0].split(/\s+/).slice(2);
  const nodeAt = tokens.indexOf('node');
  const env = Object.fromEntries(tokens.slice(0, nodeAt).map((token) => token.split('=', 2)));
  return { env, nodeFlags: tokens.slice(nodeAt + 1) };
}

const benchNodeArgs = () => process.env.WEFT_BENCH_NODE_ARGS?.trim() ?? '';

/**
 * How to start the server: `weft start`, or with WEFT_BENCH_NODE_ARGS (a CPU profile:
 * `--cpu-prof --cpu-prof-dir=DIR`) node itself with those flags and the shebang's, since Node
 * refuses profiling flags in NODE_OPTIONS. The shebang's environment goes in `serverEnv`.
 */
export function serverCommand(root, args) {
  const extra = benchNodeArgs();
  if (!extra) return [weftBinary(root), args];
  return [process.execPath, [...extra.split(/\s+/), ...readShebang(root).nodeFlags, weftBinary(root), ...args]];
}

/** The server's environment, with the shebang's (allocator settings) when node is started directly. */
export function serverEnv(root, env) {
  const shebang = benchNodeArgs() ? readShebang(root).env : {};
  return { ...process.env, ...shebang, ...env };
}
