import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { AppError } from '@weft/kernel';
import { asUser, createBotsHarness, silentLogger, type BotsHarness } from './test-fixtures/bots-harness';

let h: BotsHarness;
let botId: string;
const MEMBER = '80351110224678912';
const linkedDiscordIds = new Map<string, string>();

async function errorCodeOf(work: Promise<unknown>): Promise<string> {
  const error = await work.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
}

beforeAll(async () => {
  h = await createBotsHarness({ maxVariablesPerBot: 5, findDiscordIdOfUser: async (userId) => linkedDiscordIds.get(userId) ?? null });
  botId = await h.connectBot(h.addApplication());
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('bot variables', () => {
  it('50 concurrent increments add exactly 50', async () => {
    const at = { workspaceId: h.alpha.id, botId, scope: 'guild' as const, scopeId: '123456789012345678', key: 'points' };
    await h.bots.api.setVariable({ ...at, value: 10 });
    const results = await Promise.all(Array.from({ length: 50 }, () => h.bots.api.incrementVariable(at)));
    expect(new Set(results).size).toBe(50);
    expect((await h.bots.api.getVariable(at))?.value).toBe(60);
    expect(await h.bots.api.incrementVariable({ ...at, by: -0.5 })).toBe(59.5);
  });

  it('compare-and-set lets exactly one of 20 concurrent writers win', async () => {
    const at = { workspaceId: h.alpha.id, botId, scope: 'global' as const, key: 'lock' };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => h.bots.api.compareAndSetVariable({ ...at, expected: null, value: `owner-${i}` })));
    expect(results.filter((r) => r.isSwapped)).toHaveLength(1);
    const winner = results.find((r) => r.isSwapped)!.current!.value;
    const swaps = await Promise.all(Array.from({ length: 20 }, (_, i) => h.bots.api.compareAndSetVariable({ ...at, expected: winner, value: `next-${i}` })));
    expect(swaps.filter((r) => r.isSwapped)).toHaveLength(1);
    expect(await h.bots.api.compareAndSetVariable({ ...at, expected: 'stale', value: 'x' })).toMatchObject({ isSwapped: false, current: { value: swaps.find((r) => r.isSwapped)!.current!.value } });
  });

  it('refuses increments of non-numbers, values of the wrong type, and another workspace', async () => {
    const at = { workspaceId: h.alpha.id, botId, scope: 'global' as const, key: 'motto' };
    await h.bots.api.setVariable({ ...at, value: 'carpe diem' });
    expect(await errorCodeOf(h.bots.api.incrementVariable(at))).toBe('BOT_VARIABLE_TYPE_MISMATCH');
    expect(await errorCodeOf(h.bots.api.setVariable({ ...at, type: 'number', value: 'x' }))).toBe('BOT_VARIABLE_TYPE_MISMATCH');
    expect(await errorCodeOf(h.bots.api.getVariable({ ...at, workspaceId: h.beta.id }))).toBe('BOT_NOT_FOUND');
    expect(await errorCodeOf(h.bots.api.incrementVariable({ ...at, workspaceId: h.beta.id, key: 'other' }))).toBe('BOT_NOT_FOUND');
  });

  it('stops at the per-bot limit with 409 BOT_VARIABLE_LIMIT_REACHED; existing keys stay writable', async () => {
    const base = { workspaceId: h.alpha.id, botId, scope: 'user' as const, scopeId: MEMBER };
    const used = await h.countRows('bot_variables', `bot_id = '${botId}'`);
    for (let i = used; i < 5; i += 1) await h.bots.api.setVariable({ ...base, key: `k${i}`, value: [i] });
    expect(await errorCodeOf(h.bots.api.setVariable({ ...base, key: 'one-too-many', value: 1 }))).toBe('BOT_VARIABLE_LIMIT_REACHED');
    expect(await errorCodeOf(h.bots.api.incrementVariable({ ...base, key: 'one-too-many' }))).toBe('BOT_VARIABLE_LIMIT_REACHED');
    const viaApi = await h.app.inject({ method: 'PUT', url: `/api/v1/workspaces/alpha/bots/${botId}/variables`, headers: asUser(h.alice), payload: { scope: 'global', key: 'extra', value: { a: 1 } } });
    expect(viaApi.statusCode).toBe(409);
    expect(viaApi.json().error).toMatchObject({ code: 'BOT_VARIABLE_LIMIT_REACHED', details: { limit: 5 } });
    expect(await h.countRows('bot_variables', `bot_id = '${botId}'`)).toBe(5);
    expect(await h.bots.api.incrementVariable({ workspaceId: h.alpha.id, botId, scope: 'guild', scopeId: '123456789012345678', key: 'points' })).toBe(60.5);
  });

  it('the viewer lists and deletes variables behind workspace access', async () => {
    const list = await h.app.inject({ method: 'GET', url: `/api/v1/workspaces/alpha/bots/${botId}/variables?scope=user&limit=1`, headers: asUser(h.alice) });
    expect(list.json().items).toHaveLength(1);
    const next = await h.app.inject({ method: 'GET', url: `/api/v1/workspaces/alpha/bots/${botId}/variables?scope=user&limit=1&cursor=${list.json().nextCursor}`, headers: asUser(h.alice) });
    expect(next.json().items).toHaveLength(1);
    expect(next.json().items[0].key).not.toBe(list.json().items[0].key);
    expect((await h.app.inject({ method: 'GET', url: `/api/v1/workspaces/beta/bots/${botId}/variables`, headers: asUser(h.bob) })).statusCode).toBe(404);
    const removed = await h.app.inject({ method: 'DELETE', url: `/api/v1/workspaces/alpha/bots/${botId}/variables/global/motto`, headers: asUser(h.alice) });
    expect(removed.statusCode).toBe(200);
    expect(await h.bots.api.getVariable({ workspaceId: h.alpha.id, botId, scope: 'global', key: 'motto' })).toBeNull();
  });

  it("exports and erases a Discord member's own data through their linked Discord id", async () => {
    const person = '0190a0b0-0000-7000-8000-0000000000ee';
    linkedDiscordIds.set(person, MEMBER);
    const exported = await h.bots.dataRights.exportSubject({ userId: person });
    expect((exported.bot_variables as { scopeId: string }[]).length).toBeGreaterThan(0);
    expect((exported.bot_variables as { scopeId: string }[]).every((v) => v.scopeId === MEMBER)).toBe(true);
    await h.bots.dataRights.eraseSubject({ userId: person });
    expect(await h.countRows('bot_variables', `scope = 'user' AND scope_id = '${MEMBER}'`)).toBe(0);
    expect(await h.countRows('bot_variables', `scope = 'guild'`)).toBe(1);
  });

  it('the purge job removes runtime events past 30 days and leaves recent ones', async () => {
    await h.database.db.execute(sql.raw(`INSERT INTO bot_runtime_events (id, bot_id, at, level, message) VALUES ('0190a0b0-0000-7000-8000-0000000000e1', '${botId}', now() - interval '31 days', 'info', 'old')`));
    const recent = await h.countRows('bot_runtime_events', `at > now() - interval '1 day'`);
    await h.bots.jobs[0]!.run({ signal: new AbortController().signal, logger: silentLogger });
    expect(await h.countRows('bot_runtime_events', `message = 'old'`)).toBe(0);
    expect(await h.countRows('bot_runtime_events')).toBe(recent);
  });
});
