import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { defineTableInventory, systemColumn } from '@weft/kernel';

/**
 * Images uploaded for posts. The bytes live in the media store (a folder of
 * the data dir); the row says what they are. Served at `/media/<id>/<filename>`.
 */
export const media = pgTable(
  'media',
  {
    id: uuid('id').primaryKey(),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    uploadedBy: text('uploaded_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('media_uploaded_by_idx').on(t.uploadedBy)],
);

export const mediaInventory = defineTableInventory({
  table: 'media',
  module: 'content',
  description: "Images uploaded by the instance's administrators for its posts",
  columns: {
    id: systemColumn('media id, part of its address', 'system.identifier'),
    filename: systemColumn('the name the image is served under'),
    content_type: systemColumn('PNG, JPEG, GIF or WebP'),
    size_bytes: systemColumn('size of the image'),
    sha256: systemColumn('digest of the bytes, to check what the store returns', 'system.security'),
    uploaded_by: {
      category: 'user.identifier',
      purpose: 'which administrator uploaded the image (editorial accountability)',
      subject: 'user',
      retention: 'as long as the image',
      erase: 'anonymize',
    },
    created_at: systemColumn('when it was uploaded'),
  },
});
