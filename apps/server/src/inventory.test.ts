import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Platform } from './platform';
import { createTestPlatform } from './test-platform';

let platform: Platform;
beforeAll(async () => {
  platform = await createTestPlatform();
});
afterAll(async () => {
  await platform.close();
});

describe('privacy inventory', () => {
  it('classifies every column of every table in the migrated schema', async () => {
    const gaps = await platform.modules.privacy.api.findInventoryGaps(platform.database.db);
    // A failure lists each unclassified `table.column`: add it to its module's *.tables.ts inventory.
    expect(gaps.unclassified).toEqual([]);
    expect(gaps.stale).toEqual([]);
  });

  it('names a column added without classification', async () => {
    await platform.database.transaction(async (tx) => {
      await tx.execute(sql`ALTER TABLE audit_log ADD COLUMN sneaky_email text`);
      await tx.execute(sql`CREATE TABLE unlisted_things (id uuid PRIMARY KEY, note text)`);
      const gaps = await platform.modules.privacy.api.findInventoryGaps(tx);
      expect(gaps.unclassified).toEqual(['audit_log.sneaky_email', 'unlisted_things.id', 'unlisted_things.note']);
      // Leave the shared schema as it was for the other tests.
      await tx.execute(sql`ALTER TABLE audit_log DROP COLUMN sneaky_email`);
      await tx.execute(sql`DROP TABLE unlisted_things`);
    });
  });
});
