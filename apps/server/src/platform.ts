import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NodeTypeList } from '@weft/contracts';
import { applyMigrations, openDatabase, type Database } from '@weft/db';
import { buildOpenApiDocument, createHttpApp, defineRoute, registerRoutes, type RouteDefinition } from '@weft/http';
import { createLogger, loadOrCreateSecrets, systemClock, type Clock, type Config, type Logger } from '@weft/kernel';
import { createWorker, type Worker } from '@weft/worker';
import { registerDashboard } from './dashboard';
import { createHealthRoutes } from './health.routes';
import { createWebhookSubdomainRewrite } from './webhook-subdomains';
import { createModules, type Modules } from './modules';
import { VERSION } from './version';

export { VERSION };

/**
 * The composition root: opens the database, builds every module (modules.ts),
 * and wires their routes, jobs, subscribers and the run queue into one HTTP
 * app and one worker.
 */
// Three levels up from both apps/server/src (sources, tests) and apps/server/dist (bundle).
export const MIGRATIONS_DIR = resolve(import.meta.dirname, '../../../migrations');
export const DASHBOARD_DIR = resolve(import.meta.dirname, '../../web/dist');

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
  /** Outbox events, periodic jobs and the run queue. */
  worker: Worker;
  routes: RouteDefinition[];
  modules: Modules;
  /** Starts what the HTTP side needs before serving (webhook directory). */
  start(): Promise<void>;
  /** Stops the worker, finishes in-flight requests and runs, closes the database. */
  close(): Promise<void>;
}


export async function createPlatform(options: PlatformOptions): Promise<Platform> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.log);
  const clock = options.clock ?? systemClock;
  const secrets = loadOrCreateSecrets(config.dataDir);
  const database =
    options.database ??
    (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.db.poolSize, embeddedCompiler: config.db.embeddedCompiler, logger }));
  try {
    const applied = await applyMigrations(database, MIGRATIONS_DIR);
    if (applied.length > 0) logger.info({ applied }, 'applied database migrations');

    const modules = createModules({ config, database, clock, secrets, logger });
    const routes: RouteDefinition[] = [
      ...createHealthRoutes(database, MIGRATIONS_DIR),
      ...modules.privacy.routes,
      ...modules.audit.routes,
      ...modules.accounts.routes,
      ...modules.workspaces.routes,
      ...modules.credentials.routes,
      ...modules.workflows.routes,
      ...modules.runs.routes,
      ...modules.triggers.routes,
      ...modules.bots.routes,
      ...modules.content.routes,
      ...modules.support.routes,
      defineRoute({
        method: 'GET',
        url: '/api/v1/node-types',
        auth: 'public',
        summary: 'Every node and trigger type with its version, ports and params as JSON Schema',
        tags: ['workflows'],
        response: NodeTypeList,
        // Described on first request (memoised by the registry): zod's JSON Schema output is slow to build.
        handler: () => modules.registry.describe() as NodeTypeList,
      }),
    ];
    // Built on first request, not at boot: converting every route's schemas took a tenth of the start-up.
    const documentedRoutes = [...routes];
    let openApi: ReturnType<typeof buildOpenApiDocument> | undefined;
    routes.push(
      defineRoute({
        method: 'GET',
        url: '/api/openapi.json',
        auth: 'public',
        summary: 'This OpenAPI document',
        tags: ['operations'],
        response: z.record(z.string(), z.unknown()),
        handler: () => (openApi ??= buildOpenApiDocument(documentedRoutes, { title: 'Weft API', version: VERSION })),
      }),
    );

    const app = await createHttpApp({
      logger,
      bodyLimitBytes: config.http.bodyLimitBytes,
      rateLimitPerMinute: config.http.rateLimitPerMinute,
      trustProxy: config.http.trustProxy,
      ...(config.http.webhookDomain ? { rewriteUrl: createWebhookSubdomainRewrite(config.http.webhookDomain) } : {}),
    });
    await modules.accounts.api.registerHttpPlugins(app);
    registerRoutes(app, routes, modules.accounts.api.authenticate);
    const hookLimit = config.http.webhookRateLimitPerMinute;
    modules.runs.registerHookRoutes(app, { rateLimit: hookLimit > 0 ? { max: hookLimit, timeWindowMs: 60_000 } : false });
    await modules.bots.registerInteractionRoutes(app);
    await registerDashboard(app, DASHBOARD_DIR);

    const runner = modules.runs.createRunner();
    const worker = createWorker({
      database,
      logger,
      pollMs: config.worker.pollMs,
      jobs: modules.jobs,
      subscribers: modules.subscribers,
      components: [runner, modules.triggers.createScheduler(), modules.bots.createGatewayRuntime(`gateway:${hostname()}:${process.pid}`)],
    });

    return {
      config,
      logger,
      database,
      app,
      worker,
      routes,
      modules,
      async start() {
        await modules.runs.start();
        await modules.bots.start();
      },
      async close() {
        await worker.stop();
        await app.close();
        await modules.bots.stop();
        await modules.runs.stop();
        await modules.mailer.close();
        modules.nodeServices.dispose();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
