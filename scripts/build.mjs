// Bundles the `weft` CLI (server + worker) into one ESM file so that start-up
// loads a single module instead of transpiling TypeScript at run time.
// Workspace packages (@weft/*) are bundled; npm dependencies stay external.
import { build } from 'esbuild';

await build({
  entryPoints: ['apps/server/src/cli.ts'],
  outfile: 'apps/server/dist/weft.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [
    {
      name: 'externalize-npm-dependencies',
      setup(builder) {
        builder.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@weft/') ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});
