import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { pendingMigrations, type Database } from '@weft/db';
import { AppError, CoreErrors } from '@weft/kernel';
import { defineRoute, type RouteDefinition } from '@weft/http';

const Health = z.object({ status: z.literal('ok') });
const Readiness = z.object({ status: z.literal('ready'), database: z.enum(['pglite', 'postgres']) });

export function createHealthRoutes(database: Database, migrationsDir: string): RouteDefinition[] {
  let migrationsChecked = false; // migrations never go backwards, so once current stays current
  return [
    defineRoute({
      method: 'GET',
      url: '/healthz',
      auth: 'public',
      summary: 'The process is up',
      tags: ['operations'],
      response: Health,
      handler: () => ({ status: 'ok' as const }),
    }),
    defineRoute({
      method: 'GET',
      url: '/readyz',
      auth: 'public',
      summary: 'The database is reachable and every migration is applied',
      tags: ['operations'],
      response: Readiness,
      handler: async () => {
        try {
          await database.db.execute(sql`SELECT 1`);
        } catch (error) {
          throw new AppError(CoreErrors.SERVICE_UNAVAILABLE, 'Database is not reachable', {
            reason: error instanceof Error ? error.message : String(error),
          });
        }
        if (!migrationsChecked) {
          const pending = await pendingMigrations(database, migrationsDir);
          if (pending.length > 0) {
            throw new AppError(CoreErrors.SERVICE_UNAVAILABLE, 'Database migrations are pending', { pending });
          }
          migrationsChecked = true;
        }
        return { status: 'ready' as const, database: database.kind };
      },
    }),
  ];
}
