import { defineConfig } from 'drizzle-kit';

// Every table lives in one module (or a package for system tables); one
// migration history covers them all so that a fresh database is built in order.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./packages/*/src/*.tables.ts', './modules/*/*.tables.ts'],
  out: './migrations',
});
