import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { defineTableInventory, systemColumn } from '@weft/kernel';

/**
 * A user's request for help and the conversation on it with the instance's
 * staff (its administrators). `open` waits for staff, `answered` for the
 * user, `closed` is done; a user's reply reopens a closed ticket.
 */
export const tickets = pgTable(
  'support_tickets',
  {
    id: uuid('id').primaryKey(),
    userId: text('user_id').notNull(),
    subject: text('subject').notNull(),
    status: text('status').$type<'open' | 'answered' | 'closed'>().notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    index('support_tickets_user_idx').on(t.userId, t.lastMessageAt, t.id),
    index('support_tickets_inbox_idx').on(t.status, t.lastMessageAt, t.id),
    check('support_tickets_status_check', sql`${t.status} IN ('open', 'answered', 'closed')`),
  ],
);

export const ticketMessages = pgTable(
  'support_ticket_messages',
  {
    id: uuid('id').primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    authorId: text('author_id'),
    authorRole: text('author_role').$type<'user' | 'staff'>().notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('support_ticket_messages_ticket_idx').on(t.ticketId, t.createdAt),
    index('support_ticket_messages_author_idx').on(t.authorId),
    check('support_ticket_messages_role_check', sql`${t.authorRole} IN ('user', 'staff')`),
  ],
);

/** Files added to a ticket (screenshots, logs, PDFs); the bytes are in the attachment store. */
export const ticketAttachments = pgTable(
  'support_ticket_attachments',
  {
    id: uuid('id').primaryKey(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    uploadedBy: text('uploaded_by'),
    authorRole: text('author_role').$type<'user' | 'staff'>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('support_ticket_attachments_ticket_idx').on(t.ticketId, t.createdAt),
    index('support_ticket_attachments_uploader_idx').on(t.uploadedBy),
    check('support_ticket_attachments_role_check', sql`${t.authorRole} IN ('user', 'staff')`),
  ],
);

const RETENTION = '3 years after the last message';

export const ticketsInventory = defineTableInventory({
  table: 'support_tickets',
  module: 'support',
  description: 'Requests for help sent to the instance’s staff',
  columns: {
    id: systemColumn('ticket id', 'system.identifier'),
    user_id: { category: 'user.identifier', purpose: 'whose request it is, to answer them', subject: 'user', retention: RETENTION, erase: 'delete' },
    subject: { category: 'user.content', purpose: 'what the request is about', subject: 'user', retention: RETENTION, erase: 'delete' },
    status: systemColumn('open, answered or closed'),
    created_at: systemColumn('when the request was made'),
    last_message_at: systemColumn('when the conversation last moved; retention counts from it'),
    closed_at: systemColumn('when it was closed'),
  },
});

export const ticketMessagesInventory = defineTableInventory({
  table: 'support_ticket_messages',
  module: 'support',
  description: 'The conversation on a support ticket',
  columns: {
    id: systemColumn('message id', 'system.identifier'),
    ticket_id: systemColumn('the ticket it belongs to', 'system.identifier'),
    author_id: { category: 'user.identifier', purpose: 'who wrote the message (the user, or which staff member)', subject: 'user', retention: RETENTION, erase: 'anonymize' },
    author_role: systemColumn('user or staff'),
    body: { category: 'user.content', purpose: 'the request and the answers to it', subject: 'user', retention: RETENTION, erase: 'delete' },
    created_at: systemColumn('when it was written'),
  },
});

export const ticketAttachmentsInventory = defineTableInventory({
  table: 'support_ticket_attachments',
  module: 'support',
  description: 'Files added to support tickets (their bytes are in the attachment store and go with the row)',
  columns: {
    id: systemColumn('attachment id', 'system.identifier'),
    ticket_id: systemColumn('the ticket it belongs to', 'system.identifier'),
    filename: { category: 'user.content', purpose: 'the name the file is downloaded under', subject: 'user', retention: RETENTION, erase: 'delete' },
    content_type: systemColumn('image, PDF or plain text, from the bytes'),
    size_bytes: systemColumn('size of the file'),
    sha256: systemColumn('digest of the bytes', 'system.security'),
    uploaded_by: { category: 'user.identifier', purpose: 'who added the file (the user, or which staff member)', subject: 'user', retention: RETENTION, erase: 'anonymize' },
    author_role: systemColumn('user or staff'),
    created_at: systemColumn('when it was added'),
  },
});
