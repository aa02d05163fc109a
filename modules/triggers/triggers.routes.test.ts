import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createHttpApp, registerRoutes, type Principal } from '@weft/http';
import { createTriggersHarness, silentLogger, type TriggersHarness } from './test-fixtures/triggers-harness';

let h: TriggersHarness;
let app: FastifyInstance;
beforeAll(async () => {
  h = await createTriggersHarness();
  app = await createHttpApp({ logger: silentLogger, bodyLimitBytes: 1_048_576, rateLimitPerMinute: 1_000_000 });
  const authenticate = async (request: { headers: Record<string, string | string[] | undefined> }): Promise<Principal | null> => {
    const userId = request.headers['x-test-user'];
    return typeof userId === 'string' ? { userId, isAdmin: false, via: 'session' } : null;
  };
  registerRoutes(app, h.triggers.routes, authenticate);
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await h.close();
});

describe('GET /api/v1/workspaces/:workspace/schedules', () => {
  it('lists the workspace’s schedules with their next fire time; another workspace’s member gets 404', async () => {
    const workflowId = await h.publishWorkflow({ type: 'trigger.schedule', params: { cron: '0 9 * * *', timezone: 'Europe/Berlin' } });
    await h.publishWorkflow({ type: 'trigger.schedule', params: { cron: '0 * * * *' } }, h.beta);
    await h.deliverEvents();

    const own = await app.inject({ method: 'GET', url: `/api/v1/workspaces/${h.alpha.slug}/schedules`, headers: { 'x-test-user': h.alice } });
    expect(own.statusCode).toBe(200);
    expect(own.json().items).toEqual([
      expect.objectContaining({ workflowId, nodeId: 'start', cron: '0 9 * * *', timezone: 'Europe/Berlin', missedFirePolicy: 'fire-once', nextFireAt: '2026-01-06T08:00:00.000Z', lastFiredAt: null }),
    ]);
    expect(own.json().items[0]).not.toHaveProperty('claimedBy');

    const foreign = await app.inject({ method: 'GET', url: `/api/v1/workspaces/${h.alpha.slug}/schedules`, headers: { 'x-test-user': h.bob } });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('NOT_FOUND');
    const theirs = await app.inject({ method: 'GET', url: `/api/v1/workspaces/${h.beta.slug}/schedules`, headers: { 'x-test-user': h.bob } });
    expect(theirs.json().items.map((item: { cron: string }) => item.cron)).toEqual(['0 * * * *']);
    const anonymous = await app.inject({ method: 'GET', url: `/api/v1/workspaces/${h.alpha.slug}/schedules` });
    expect(anonymous.statusCode).toBe(401);
  });
});
