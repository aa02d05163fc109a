#!/usr/bin/env -S node --no-node-snapshot
// The `weft` command. The TypeScript sources are bundled into dist/ by
// `npm install` (prepare) and `npm start`; this file only loads the bundle.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/weft.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('weft: the CLI is not built yet. Run `npm run build` in the Weft folder first.\n');
  process.exit(1);
}
await import(bundle.href);
