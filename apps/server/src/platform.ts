import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createAuditModule } from '@weft/audit';
import { applyMigrations, openDatabase, systemInventories, type Database } from '@weft/db';
import { anonymousOnly, buildOpenApiDocument, createHttpApp, defineRoute, registerRoutes, type RouteDefinition } from '@weft/http';
import { createLogger, hmacSha256, loadOrCreateSecrets, systemClock, type Clock, type Config, type Logger } from '@weft/kernel';
import { createPrivacyModule } from '@weft/privacy';
import { createWorker, type Worker } from '@weft/worker';
import { registerDashboard } from './dashboard';
import { createHealthRoutes } from './health.routes';

/**
 * The composition root: the one place that builds every module with exactly
 * the dependencies it declares and wires routes, jobs and subscribers.
 */
// Three levels up from both apps/server/src (sources, tests) and apps/server/dist (bundle).
export const MIGRATIONS_DIR = resolve(import.meta.dirname, '../../../migrations');
export const DASHBOARD_DIR = resolve(import.meta.dirname, '../../web/dist');
export const VERSION = '0.1.0';

export interface PlatformOptions {
  config: Config;
  logger?: Logger;
  /** An already open database (tests); otherwise opened from the config. */
  database?: Database;
  clock?: Clock;
}

export interface Platform {
  config: Config;
  logger: Logger;
  database: Database;
  app: FastifyInstance;
  worker: Worker;
  routes: RouteDefinition[];
  modules: ReturnType<typeof createModules>;
  /** Stops the worker, finishes in-flight requests, closes the database. */
  close(): Promise<void>;
}

function createModules(database: Database, clock: Clock, secrets: ReturnType<typeof loadOrCreateSecrets>) {
  const audit = createAuditModule({
    database,
    clock,
    ipHashKey: hmacSha256(secrets.sessionSecret, 'ip-hash').toString('hex'),
  });
  const privacy = createPrivacyModule({
    instanceName: 'Weft',
    inventories: [...systemInventories, ...audit.inventories],
  });
  return { audit, privacy };
}

export async function createPlatform(options: PlatformOptions): Promise<Platform> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.log);
  const clock = options.clock ?? systemClock;
  const secrets = loadOrCreateSecrets(config.dataDir);
  const database =
    options.database ??
    (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.db.poolSize, logger }));
  try {
    const applied = await applyMigrations(database, MIGRATIONS_DIR);
    if (applied.length > 0) logger.info({ applied }, 'applied database migrations');

    const modules = createModules(database, clock, secrets);
    const routes: RouteDefinition[] = [
      ...createHealthRoutes(database, MIGRATIONS_DIR),
      ...modules.privacy.routes,
      ...modules.audit.routes,
    ];
    const openApi = buildOpenApiDocument(routes, { title: 'Weft API', version: VERSION });
    routes.push(
      defineRoute({
        method: 'GET',
        url: '/api/openapi.json',
        auth: 'public',
        summary: 'This OpenAPI document',
        tags: ['operations'],
        response: z.record(z.string(), z.unknown()),
        handler: () => openApi,
      }),
    );

    const app = await createHttpApp({
      logger,
      bodyLimitBytes: config.http.bodyLimitBytes,
      rateLimitPerMinute: config.http.rateLimitPerMinute,
    });
    registerRoutes(app, routes, anonymousOnly);
    await registerDashboard(app, DASHBOARD_DIR);

    const worker = createWorker({
      database,
      logger,
      pollMs: config.worker.pollMs,
      jobs: [...modules.audit.jobs],
      subscribers: [],
    });

    return {
      config,
      logger,
      database,
      app,
      worker,
      routes,
      modules,
      async close() {
        await worker.stop();
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
