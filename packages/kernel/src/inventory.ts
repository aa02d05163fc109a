/**
 * The privacy inventory types. Every module declares, beside its tables, what
 * each column holds and what happens to it; modules/privacy gathers these,
 * checks them against the live schema, renders the privacy notice and drives
 * export and erasure. The types live in the kernel so that packages with
 * system tables (db's outbox, the worker's jobs) can declare theirs too.
 */
export type DataCategory =
  | 'user.contact.email'
  | 'user.contact.other'
  | 'user.name'
  | 'user.identifier'
  | 'user.authorization.credentials'
  | 'user.device.ip_address'
  | 'user.device.user_agent'
  | 'user.financial'
  | 'user.content'
  | 'user.behavior'
  | 'user.preferences'
  | 'user.location'
  | 'third_party.identifier'
  | 'third_party.content'
  | 'system.identifier'
  | 'system.operations'
  | 'system.security';

export type DataSubject = 'user' | 'workspace_member' | 'end_user' | 'guild_member' | 'none';

/** What erasure of a data subject does to this column. */
export type EraseStrategy = 'delete' | 'anonymize' | 'keep-legal' | 'not-personal';

export interface ColumnInventory {
  category: DataCategory;
  purpose: string;
  subject: DataSubject;
  /** Human readable, shown in the privacy notice, e.g. "until account deletion", "1 year". */
  retention: string;
  erase: EraseStrategy;
  /** Why the column is kept on erasure; required for 'keep-legal'. */
  legalBasis?: string;
}

export interface TableInventory {
  table: string;
  module: string;
  description: string;
  columns: Record<string, ColumnInventory>;
}

export function defineTableInventory(inventory: TableInventory): TableInventory {
  for (const [column, entry] of Object.entries(inventory.columns)) {
    if (entry.erase === 'keep-legal' && !entry.legalBasis) {
      throw new Error(`${inventory.table}.${column} is kept for a legal reason but names none`);
    }
  }
  return inventory;
}

/** Shorthand for columns that hold no personal data. */
export function systemColumn(purpose: string, category: DataCategory = 'system.operations'): ColumnInventory {
  return { category, purpose, subject: 'none', retention: 'as long as the row', erase: 'not-personal' };
}

/** Whose data a data-rights request is about. */
interface DataSubject_ {
  userId: string;
}
export type SubjectRef = DataSubject_;

/**
 * What every module that stores personal data implements; the privacy module
 * calls them all for an export or an erasure request.
 */
export interface DataRights {
  module: string;
  /** Everything this module holds about the subject, as rows per table. */
  exportSubject(subject: SubjectRef): Promise<Record<string, unknown[]>>;
  /** Deletes or anonymizes per the inventory's erase strategies; keeps what the law requires. */
  eraseSubject(subject: SubjectRef): Promise<void>;
}
