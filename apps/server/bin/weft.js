#!/usr/bin/env -S node --no-node-snapshot
// The `weft` command. The TypeScript sources are bundled into dist/ by
// `npm install` (prepare) and `npm start`; this file only loads the bundle.
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// Nearly everything the server allocates lives for one request or one run. V8 grows the young
// generation from about 1 MB to 16 MB per semi-space when much survives a collection, which
// start-up does; kept at its first size it stays in the CPU's caches. Measured on the W1
// benchmark: 15–20 % more requests/s and 28 MB less resident memory. Set before the bundle
// loads, so that loading it cannot grow the young generation first.
setFlagsFromString('--semi-space-growth-factor=1');

const bundle = new URL('../dist/weft.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('weft: the CLI is not built yet. Run `npm run build` in the Weft folder first.\n');
  process.exit(1);
}
await import(bundle.href);
