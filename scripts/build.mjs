// Bundles the `weft` CLI (server + worker) with its npm dependencies into one
// ESM file: start-up then reads one file instead of resolving hundreds of
// modules (about half the cold-start time). Packages that load native
// addons, WebAssembly or worker-thread files by path stay external.
import { build } from 'esbuild';

const EXTERNAL = [
  /^@electric-sql\/pglite/, // WebAssembly and data files next to its code
  /^pg-native$/, // optional native binding of pg
  /^pino/, // transports run in worker threads loaded by file path
  /^thread-stream/,
  /^@node-rs\//, // native argon2
  /^isolated-vm/, // native sandbox
  /^esbuild/,
];

await build({
  entryPoints: ['apps/server/src/cli.ts'],
  outfile: 'apps/server/dist/weft.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // CommonJS dependencies inside an ESM bundle still call require() for built-ins.
  banner: { js: "import { createRequire as __weftCreateRequire } from 'node:module'; const require = __weftCreateRequire(import.meta.url);" },
  plugins: [
    {
      name: 'keep-runtime-loaded-packages-external',
      setup(builder) {
        builder.onResolve({ filter: /^[^./]/ }, (args) =>
          EXTERNAL.some((pattern) => pattern.test(args.path)) ? { path: args.path, external: true } : undefined,
        );
      },
    },
  ],
});
