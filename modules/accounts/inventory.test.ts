import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import type { TableInventory } from '@weft/kernel';
import { createAccountsHarness, type AccountsHarness } from './accounts.test-harness';

let h: AccountsHarness;
let inventories: TableInventory[];
beforeAll(async () => {
  h = await createAccountsHarness();
  inventories = h.accounts.inventories;
});
afterAll(async () => {
  await h.close();
});

describe('accounts privacy inventory', () => {
  it('classifies every column of every accounts table after migrations, and nothing else', async () => {
    const tables = inventories.map((inventory) => inventory.table);
    const live = await queryRows<{ table_name: string; column_name: string }>(
      h.database.db,
      sql`SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name IN (${sql.join(tables.map((t) => sql`${t}`), sql`, `)})`,
    );
    const liveColumns = live.map((c) => `${c.table_name}.${c.column_name}`).sort();
    const declared = inventories.flatMap((inventory) => Object.keys(inventory.columns).map((column) => `${inventory.table}.${column}`)).sort();
    expect(declared).toEqual(liveColumns);
    expect(new Set(live.map((c) => c.table_name)).size).toBe(tables.length);
  });

  it('erases or anonymizes every column that holds personal data', () => {
    for (const inventory of inventories) {
      for (const [column, entry] of Object.entries(inventory.columns)) {
        if (entry.subject === 'none') continue;
        expect([`${inventory.table}.${column}`, entry.erase]).not.toEqual([`${inventory.table}.${column}`, 'not-personal']);
      }
    }
  });
});
