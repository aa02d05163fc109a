import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '@weft/testing';
import { queryRows } from './database';
import { claimDueOutboxEvents, markOutboxEventDelivered, writeOutboxEvent } from './outbox';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('openDatabase', () => {
  it('has the migrations applied from the template', async () => {
    const rows = await queryRows<{ tag: string }>(database.db, sql`SELECT tag FROM weft_migrations ORDER BY tag`);
    expect(rows.map((r) => r.tag)).toContain('0000_init');
  });

  it('rolls back every statement of a transaction that throws', async () => {
    await expect(
      database.transaction(async (tx) => {
        await writeOutboxEvent(tx, 'test.rolled-back', { n: 1 });
        throw new Error('halfway');
      }),
    ).rejects.toThrow('halfway');
    const rows = await queryRows(database.db, sql`SELECT 1 FROM outbox_events WHERE name = 'test.rolled-back'`);
    expect(rows).toHaveLength(0);
  });

  it('delivers an outbox event written in a committed transaction once', async () => {
    await database.transaction((tx) => writeOutboxEvent(tx, 'test.committed', { n: 2 }));
    const first = await database.transaction(async (tx) => {
      const events = await claimDueOutboxEvents(tx, 10);
      for (const event of events) await markOutboxEventDelivered(tx, event.id);
      return events;
    });
    expect(first.map((e) => e.name)).toEqual(['test.committed']);
    expect(first[0]!.payload).toEqual({ n: 2 });
    const second = await database.transaction((tx) => claimDueOutboxEvents(tx, 10));
    expect(second).toHaveLength(0);
  });

  it('delivers NOTIFY payloads to a listener until it unsubscribes', async () => {
    const received: string[] = [];
    const unlisten = await database.listen('weft_test_channel', (payload) => received.push(payload));
    await database.db.execute(sql`SELECT pg_notify('weft_test_channel', 'hello')`);
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await unlisten();
    await database.db.execute(sql`SELECT pg_notify('weft_test_channel', 'after')`);
    await new Promise((r) => setTimeout(r, 30));
    expect(received).toEqual(['hello']);
  });
});
