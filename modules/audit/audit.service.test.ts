import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import { createManualClock, newId } from '@weft/kernel';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import { createAuditService, ERASED_ACTOR } from './audit.service';

let database: TestDatabase;
const clock = createManualClock(new Date('2026-06-01T00:00:00Z'));
let audit: ReturnType<typeof createAuditService>;

beforeAll(async () => {
  database = await createTestDatabase();
  audit = createAuditService({ database, clock, ipHashKey: 'test-key' });
});
afterAll(async () => {
  await database.close();
});

describe('audit log', () => {
  it('records an entry with a hashed network, never the IP address', async () => {
    const actor = newId();
    await audit.recordAudit({ actor: { type: 'user', id: actor }, action: 'workspace.member.removed', target: { type: 'user', id: 'u2' }, ip: '198.51.100.23', details: { role: 'member' } });
    const [row] = await audit.listAudit({ actorId: actor }, 10);
    expect(row).toMatchObject({ action: 'workspace.member.removed', targetId: 'u2', details: { role: 'member' } });
    expect(row!.ipHash).toMatch(/^[0-9a-f]{32}$/);
    const raw = await queryRows(database.db, sql`SELECT * FROM audit_log WHERE actor_id = ${actor}`);
    expect(JSON.stringify(raw)).not.toContain('198.51.100');
  });

  it('is append-only: UPDATE and DELETE are refused', async () => {
    await expect(database.db.execute(sql`UPDATE audit_log SET action = 'forged'`)).rejects.toThrow();
    await expect(database.db.execute(sql`DELETE FROM audit_log`)).rejects.toThrow();
    const rows = await queryRows(database.db, sql`SELECT 1 FROM audit_log WHERE action = 'forged'`);
    expect(rows).toHaveLength(0);
  });

  it('rolls back with the change it audits', async () => {
    const actor = newId();
    await database
      .transaction(async (tx) => {
        await audit.recordAudit({ actor: { type: 'user', id: actor }, action: 'x.changed' }, tx);
        throw new Error('the change failed');
      })
      .catch(() => undefined);
    expect(await audit.listAudit({ actorId: actor }, 10)).toHaveLength(0);
  });

  it('pages newest first with a keyset cursor', async () => {
    const actor = newId();
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      await audit.recordAudit({ actor: { type: 'user', id: actor }, action: `step.${i}` });
    }
    const first = await audit.listAudit({ actorId: actor }, 3);
    expect(first.map((r) => r.action)).toEqual(['step.4', 'step.3', 'step.2']);
    const last = first.at(-1)!;
    const second = await audit.listAudit({ actorId: actor, before: { at: last.at, id: last.id } }, 3);
    expect(second.map((r) => r.action)).toEqual(['step.1', 'step.0']);
  });

  it('purges exactly the entries older than the retention period', async () => {
    const actor = newId();
    clock.set(new Date('2025-01-01T00:00:00Z'));
    await audit.recordAudit({ actor: { type: 'user', id: actor }, action: 'old.entry' });
    clock.set(new Date('2026-06-01T00:00:00Z'));
    await audit.recordAudit({ actor: { type: 'user', id: actor }, action: 'recent.entry' });
    const removed = await audit.purgeExpiredAudit();
    expect(removed).toBeGreaterThanOrEqual(1);
    expect((await audit.listAudit({ actorId: actor }, 10)).map((r) => r.action)).toEqual(['recent.entry']);
  });

  it('exports and erases a subject: ids anonymized, IP hash and details dropped', async () => {
    const subject = newId();
    await audit.recordAudit({ actor: { type: 'user', id: subject }, action: 'me.changed', ip: '203.0.113.5', details: { field: 'email' } });
    await audit.recordAudit({ actor: { type: 'admin', id: 'admin-1' }, action: 'user.suspended', target: { type: 'user', id: subject } });
    const exported = await audit.exportSubject({ userId: subject });
    expect(exported.audit_log).toHaveLength(2);
    await audit.eraseSubject({ userId: subject });
    expect(await audit.exportSubject({ userId: subject })).toEqual({ audit_log: [] });
    const anonymized = await audit.listAudit({ actorId: ERASED_ACTOR }, 50);
    const mine = anonymized.find((r) => r.action === 'me.changed');
    expect(mine).toMatchObject({ ipHash: null, details: {} });
    expect((await audit.listAudit({ actorId: 'admin-1' }, 10))[0]).toMatchObject({ targetId: ERASED_ACTOR });
  });
});
