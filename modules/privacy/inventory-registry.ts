import { compareCodeUnits, type ColumnInventory, type TableInventory } from '@weft/kernel';

export interface InventoryRegistry {
  tables: TableInventory[];
  findColumn(table: string, column: string): ColumnInventory | undefined;
}

/** Gathers every module's table inventories; a table declared twice is a programming error. */
export function createInventoryRegistry(inventories: TableInventory[]): InventoryRegistry {
  const byTable = new Map<string, TableInventory>();
  for (const inventory of inventories) {
    if (byTable.has(inventory.table)) {
      throw new Error(`Table ${inventory.table} is declared in the privacy inventory twice`);
    }
    byTable.set(inventory.table, inventory);
  }
  const tables = [...byTable.values()].sort((a, b) => compareCodeUnits(a.module, b.module) || compareCodeUnits(a.table, b.table));
  return {
    tables,
    findColumn: (table, column) => byTable.get(table)?.columns[column],
  };
}
