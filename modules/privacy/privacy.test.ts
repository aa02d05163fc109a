import { describe, expect, it } from 'vitest';
import { defineTableInventory, systemColumn } from '@weft/kernel';
import { createInventoryRegistry } from './inventory-registry';
import { listPersonalData, renderPrivacyNotice } from './render-privacy-notice';

const people = defineTableInventory({
  table: 'people',
  module: 'demo',
  description: 'People <script>',
  columns: {
    id: systemColumn('row id', 'system.identifier'),
    email: { category: 'user.contact.email', purpose: 'sign in', subject: 'user', retention: 'until deletion', erase: 'delete' },
    invoice_name: {
      category: 'user.name',
      purpose: 'invoices',
      subject: 'user',
      retention: '10 years',
      erase: 'keep-legal',
      legalBasis: 'tax law',
    },
  },
});

describe('privacy inventory', () => {
  it('lists only personal-data columns with what happens on erasure', () => {
    expect(listPersonalData([people]).map((e) => [e.column, e.onErasure])).toEqual([
      ['email', 'deleted'],
      ['invoice_name', 'kept where the law requires it'],
    ]);
  });

  it('refuses a column kept for a legal reason without naming it', () => {
    expect(() =>
      defineTableInventory({
        table: 't',
        module: 'm',
        description: 'd',
        columns: { c: { category: 'user.name', purpose: 'p', subject: 'user', retention: 'r', erase: 'keep-legal' } },
      }),
    ).toThrow(/names none/);
  });

  it('refuses a table declared twice', () => {
    expect(() => createInventoryRegistry([people, people])).toThrow(/twice/);
  });

  it('renders an escaped HTML notice', () => {
    const html = renderPrivacyNotice([people], 'Weft');
    expect(html).toContain('people.email');
    expect(html).toContain('tax law');
    expect(html).not.toContain('<script>');
  });
});
