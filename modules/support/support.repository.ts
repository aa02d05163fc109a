import { and, asc, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { queryRows, type DbExecutor } from '@weft/db';
import { ticketAttachments, ticketMessages, tickets } from './support.tables';

export type TicketRow = typeof tickets.$inferSelect;
export type TicketMessageRow = typeof ticketMessages.$inferSelect;
export type TicketStatus = TicketRow['status'];
export type TicketAttachmentRow = typeof ticketAttachments.$inferSelect;

export async function insertAttachment(executor: DbExecutor, row: typeof ticketAttachments.$inferInsert): Promise<TicketAttachmentRow> {
  const [inserted] = await executor.insert(ticketAttachments).values(row).returning();
  return inserted!;
}

export async function listAttachments(executor: DbExecutor, ticketIds: string[]): Promise<TicketAttachmentRow[]> {
  if (ticketIds.length === 0) return [];
  return executor.select().from(ticketAttachments).where(inArray(ticketAttachments.ticketId, ticketIds)).orderBy(asc(ticketAttachments.createdAt), asc(ticketAttachments.id));
}

export async function findAttachment(executor: DbExecutor, ticketId: string, id: string): Promise<TicketAttachmentRow | undefined> {
  const [row] = await executor.select().from(ticketAttachments).where(and(eq(ticketAttachments.ticketId, ticketId), eq(ticketAttachments.id, id)));
  return row;
}

export async function countAttachments(executor: DbExecutor, ticketId: string): Promise<number> {
  const rows = await queryRows<{ count: number }>(executor, sql`SELECT count(*)::int AS count FROM support_ticket_attachments WHERE ticket_id = ${ticketId}`);
  return rows[0]?.count ?? 0;
}

export async function forgetAttachmentUploader(executor: DbExecutor, userId: string): Promise<void> {
  await executor.update(ticketAttachments).set({ uploadedBy: null }).where(eq(ticketAttachments.uploadedBy, userId));
}

export async function listAttachmentsByUploaderElsewhere(executor: DbExecutor, userId: string): Promise<TicketAttachmentRow[]> {
  return executor
    .select({ attachment: ticketAttachments })
    .from(ticketAttachments)
    .innerJoin(tickets, eq(tickets.id, ticketAttachments.ticketId))
    .where(and(eq(ticketAttachments.uploadedBy, userId), sql`${tickets.userId} <> ${userId}`))
    .then((rows) => rows.map((row) => row.attachment));
}

export interface TicketFilter {
  userId?: string | undefined;
  status?: TicketStatus | undefined;
  /** Keyset cursor: tickets whose conversation last moved strictly before this (lastMessageAt, id). */
  before?: { lastMessageAt: Date; id: string } | undefined;
}

export async function insertTicket(executor: DbExecutor, row: typeof tickets.$inferInsert): Promise<TicketRow> {
  const [inserted] = await executor.insert(tickets).values(row).returning();
  return inserted!;
}

export async function insertTicketMessage(executor: DbExecutor, row: typeof ticketMessages.$inferInsert): Promise<TicketMessageRow> {
  const [inserted] = await executor.insert(ticketMessages).values(row).returning();
  return inserted!;
}

/** The ticket, locked for the change being made to it (two replies at once apply one after the other). */
export async function findTicketForUpdate(executor: DbExecutor, id: string): Promise<TicketRow | undefined> {
  const [row] = await executor.select().from(tickets).where(eq(tickets.id, id)).for('update');
  return row;
}

export async function findTicket(executor: DbExecutor, id: string): Promise<TicketRow | undefined> {
  const [row] = await executor.select().from(tickets).where(eq(tickets.id, id));
  return row;
}

export async function updateTicket(executor: DbExecutor, id: string, changes: Partial<Pick<TicketRow, 'status' | 'lastMessageAt' | 'closedAt'>>): Promise<TicketRow> {
  const [row] = await executor.update(tickets).set(changes).where(eq(tickets.id, id)).returning();
  return row!;
}

export async function listTicketMessages(executor: DbExecutor, ticketIds: string[]): Promise<TicketMessageRow[]> {
  if (ticketIds.length === 0) return [];
  return executor.select().from(ticketMessages).where(inArray(ticketMessages.ticketId, ticketIds)).orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id));
}

export async function listTickets(executor: DbExecutor, filter: TicketFilter, limit: number): Promise<TicketRow[]> {
  const conditions: SQL[] = [];
  if (filter.userId) conditions.push(eq(tickets.userId, filter.userId));
  if (filter.status) conditions.push(eq(tickets.status, filter.status));
  if (filter.before) {
    const { lastMessageAt, id } = filter.before;
    conditions.push(or(lt(tickets.lastMessageAt, lastMessageAt), and(eq(tickets.lastMessageAt, lastMessageAt), lt(tickets.id, id)))!);
  }
  return executor
    .select()
    .from(tickets)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(tickets.lastMessageAt), desc(tickets.id))
    .limit(limit);
}

/**
 * Deletes tickets (their messages and attachment rows go with them) whose conversation last moved
 * before `cutoff`; returns how many, and the attachment ids whose files are to be removed.
 */
export async function deleteTicketsInactiveSince(executor: DbExecutor, cutoff: Date): Promise<{ tickets: number; attachmentIds: string[] }> {
  const attachments = await queryRows<{ id: string }>(
    executor,
    sql`SELECT a.id FROM support_ticket_attachments a JOIN support_tickets t ON t.id = a.ticket_id WHERE t.last_message_at < ${cutoff.toISOString()}`,
  );
  const rows = await queryRows<{ id: string }>(executor, sql`DELETE FROM support_tickets WHERE last_message_at < ${cutoff.toISOString()} RETURNING id`);
  return { tickets: rows.length, attachmentIds: attachments.map((row) => row.id) };
}

export async function listTicketsOfUser(executor: DbExecutor, userId: string): Promise<TicketRow[]> {
  return executor.select().from(tickets).where(eq(tickets.userId, userId)).orderBy(desc(tickets.createdAt));
}

/** Messages a user wrote in other people's tickets (as staff). */
export async function listMessagesByAuthorElsewhere(executor: DbExecutor, userId: string): Promise<TicketMessageRow[]> {
  return executor
    .select({ message: ticketMessages })
    .from(ticketMessages)
    .innerJoin(tickets, eq(tickets.id, ticketMessages.ticketId))
    .where(and(eq(ticketMessages.authorId, userId), sql`${tickets.userId} <> ${userId}`))
    .orderBy(asc(ticketMessages.createdAt))
    .then((rows) => rows.map((row) => row.message));
}

/** Deletes a user's tickets; returns the attachment ids whose files are to be removed. */
export async function deleteTicketsOfUser(executor: DbExecutor, userId: string): Promise<string[]> {
  const attachments = await queryRows<{ id: string }>(
    executor,
    sql`SELECT a.id FROM support_ticket_attachments a JOIN support_tickets t ON t.id = a.ticket_id WHERE t.user_id = ${userId}`,
  );
  await executor.delete(tickets).where(eq(tickets.userId, userId));
  return attachments.map((row) => row.id);
}

export async function forgetMessageAuthor(executor: DbExecutor, userId: string): Promise<void> {
  await executor.update(ticketMessages).set({ authorId: null }).where(eq(ticketMessages.authorId, userId));
}
