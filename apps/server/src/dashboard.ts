import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { AppError, CoreErrors } from '@weft/kernel';

/** Paths the dashboard never owns: their misses stay JSON 404s. */
const API_PREFIXES = ['/api/', '/hooks/', '/discord/', '/healthz', '/readyz', '/privacy'];

/**
 * Serves the built dashboard (apps/web/dist) on the API's port. Hashed assets
 * are cached for a year; index.html and the service worker are revalidated on
 * every load so a deploy is picked up at once. Any other GET that accepts HTML
 * gets index.html (client-side routes such as /workflows/123).
 */
export async function registerDashboard(app: FastifyInstance, distDir: string): Promise<boolean> {
  const indexPath = join(distDir, 'index.html');
  if (!existsSync(indexPath)) {
    app.log.warn({ distDir }, 'dashboard is not built; run `npm run build` to serve it');
    return false;
  }
  const indexHtml = readFileSync(indexPath);
  await app.register(fastifyStatic, {
    root: distDir,
    wildcard: false,
    index: false,
    setHeaders(res, path) {
      if (path.includes(`${join(distDir, 'assets')}`)) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      else res.setHeader('cache-control', 'no-cache');
    },
  });
  app.get('/*', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (API_PREFIXES.some((prefix) => path.startsWith(prefix)) || !request.headers.accept?.includes('text/html')) {
      throw new AppError(CoreErrors.ROUTE_NOT_FOUND, `No route for GET ${path}`);
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
  });
  app.get('/', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml),
  );
  return true;
}
