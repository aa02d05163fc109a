#!/usr/bin/env -S MALLOC_TRIM_THRESHOLD_=1048576 MALLOC_MMAP_THRESHOLD_=1048576 MALLOC_ARENA_MAX=2 node --no-node-snapshot --min-semi-space-size=4
// The `weft` command. The TypeScript sources are bundled into dist/ by
// `npm install` (prepare) and `npm start`; this file only loads the bundle.
//
// The first line is how Weft is meant to be started (`npm start`, `weft start`, the benchmarks):
// - isolated-vm on Node 20 needs --no-node-snapshot;
// - --min-semi-space-size=4: the young generation's size (kept there, see below);
// - glibc's allocator raises its trim and mmap thresholds each time a large block is freed (start-up
//   frees several: module sources, PGlite's files), up to 64 MB, after which freed memory is never
//   handed back and thread arenas keep what V8's background compilers used. Fixing both thresholds
//   at 1 MB measured 10–15 MB less idle memory (148 → 137 MB on PGlite) at the same throughput;
// - the embedded database runs on a thread of its own, and glibc gives each thread that allocates
//   an arena of its own (up to eight per core), each keeping what it once held: two arenas
//   measured 20 MB less idle memory than the default at the same throughput.
// glibc reads these only when the process starts, so they cannot be set from here.
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// Nearly everything the server allocates lives for one request or one run. The shebang starts the
// young generation at 4 MB per semi-space rather than V8's first size: a durable run lives for a few
// database round trips, and at V8's size it survived collections often enough that they took a
// quarter of the server's CPU in the durable-async benchmark on PostgreSQL (1,971 → 1,195 ms of
// collections per benchmark, 1,848 → 926 collections). V8 still grows it during start-up (traced
// with --trace-gc-verbose: 8 → 32 MB committed for both halves within the first 300 ms), and that
// size is what W1 runs best at: capped at 4 MB (--max-semi-space-size=4) the same load took 2.5×
// the scavenges (1,120 against 454) and 2.7× the collection time, and objects were promoted until
// the old space held 93 MB instead of 25 (one 9 s run each, 2 cores).
// The growth factor of 1 set here, before the bundle loads, still matters: without it the same W1
// load spent 712 ms in collections instead of 330 and ended at 221 MB resident instead of 165.
setFlagsFromString('--semi-space-growth-factor=1');

const bundle = new URL('../dist/weft.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('weft: the CLI is not built yet. Run `npm run build` in the Weft folder first.\n');
  process.exit(1);
}
await import(bundle.href);
