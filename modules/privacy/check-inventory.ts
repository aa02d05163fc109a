import { sql } from 'drizzle-orm';
import { queryRows, type DbExecutor } from '@weft/db';
import type { InventoryRegistry } from './inventory-registry';

export interface InventoryGaps {
  /** `table.column` present in the live schema with no inventory entry. */
  unclassified: string[];
  /** `table.column` declared in the inventory that the schema does not have. */
  stale: string[];
}

/**
 * Compares the live schema (after migrations) with the inventory. A column
 * that nobody classified is a column whose personal data nobody exports,
 * erases or purges, so the test suite fails on any gap.
 */
export async function findInventoryGaps(executor: DbExecutor, registry: InventoryRegistry): Promise<InventoryGaps> {
  const columns = await queryRows<{ table_name: string; column_name: string }>(
    executor,
    sql`SELECT c.table_name, c.column_name
        FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
        ORDER BY c.table_name, c.ordinal_position`,
  );
  const live = new Set(columns.map((c) => `${c.table_name}.${c.column_name}`));
  const unclassified = [...live].filter((key) => {
    const [table, column] = key.split('.') as [string, string];
    return !registry.findColumn(table, column);
  });
  const stale = registry.tables.flatMap((t) =>
    Object.keys(t.columns)
      .map((column) => `${t.table}.${column}`)
      .filter((key) => !live.has(key)),
  );
  return { unclassified, stale };
}
