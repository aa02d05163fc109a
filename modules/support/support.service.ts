import type { AuditEntryInput } from '@weft/audit';
import type { Database, Tx } from '@weft/db';
import { createHash } from 'node:crypto';
import { AppError, detectFileType, isUuid, newId, safeFilename, type Clock, type SubjectRef } from '@weft/kernel';
import { SupportErrors } from './support.errors';
import {
  countAttachments,
  deleteTicketsInactiveSince,
  findAttachment,
  forgetAttachmentUploader,
  insertAttachment,
  listAttachments,
  listAttachmentsByUploaderElsewhere,
  deleteTicketsOfUser,
  findTicket,
  findTicketForUpdate,
  forgetMessageAuthor,
  insertTicket,
  insertTicketMessage,
  listMessagesByAuthorElsewhere,
  listTicketMessages,
  listTickets,
  listTicketsOfUser,
  updateTicket,
  type TicketAttachmentRow,
  type TicketFilter,
  type TicketMessageRow,
  type TicketRow,
} from './support.repository';

/** Where attachments' bytes are kept, by attachment id (the composition root gives a folder or a bucket prefix). */
export interface FileStore {
  put(id: string, bytes: Uint8Array): Promise<void>;
  get(id: string): Promise<Buffer | null>;
  delete(id: string): Promise<void>;
}

/** Per ticket, so that one conversation cannot fill the store. */
export const MAX_ATTACHMENTS_PER_TICKET = 10;

export interface SupportServiceDeps {
  database: Database;
  files: FileStore;
  /** Reports a file that could not be removed (its row is gone: it is never served). */
  onFileError?: (error: unknown, attachmentId: string) => void;
  clock: Clock;
  recordAudit: (entry: AuditEntryInput, tx: Tx) => Promise<void>;
  /** The accounts module's lookup, for the mail that tells a user their ticket was answered. */
  findUser: (userId: string) => Promise<{ email: string; username: string } | null>;
  sendMail: (message: { to: string; subject: string; text: string }) => Promise<void>;
  /** The instance's administrators, told by mail of each new request and each user reply. */
  listStaff: () => Promise<{ email: string; username: string }[]>;
  /** Reports a notification mail that could not be sent (the answer itself is saved). */
  onMailError?: (error: unknown, ticketId: string) => void;
  publicUrl: string;
  /** Tickets are deleted this long after their last message (default 3 years). */
  retentionDays?: number;
}

/** Someone acting on tickets: a user on their own, or an administrator as staff (with their address for the audit log). */
export interface Actor {
  userId: string;
  ip?: string;
}

export interface TicketWithMessages {
  ticket: TicketRow;
  messages: TicketMessageRow[];
  attachments: TicketAttachmentRow[];
}

function notFound(id: string): AppError {
  return new AppError(SupportErrors.TICKET_NOT_FOUND, 'No such ticket', { id });
}

export function createSupportService(deps: SupportServiceDeps) {
  const { database, clock } = deps;
  const retentionDays = deps.retentionDays ?? 3 * 365;

  async function withMessages(ticket: TicketRow): Promise<TicketWithMessages> {
    return { ticket, messages: await listTicketMessages(database.db, [ticket.id]), attachments: await listAttachments(database.db, [ticket.id]) };
  }

  async function removeFiles(ids: string[]): Promise<void> {
    for (const id of ids) await deps.files.delete(id).catch((error: unknown) => deps.onFileError?.(error, id));
  }

  /**
   * The ticket `id`, read (or, in `tx`, locked for a change). A user (`ownerId`) reaches only their
   * own: another's is "not found", as is an id that is not one. Staff pass no owner.
   */
  async function requireTicket(id: string, ownerId: string | undefined, tx?: Tx): Promise<TicketRow> {
    const ticket = !isUuid(id) ? undefined : tx ? await findTicketForUpdate(tx, id) : await findTicket(database.db, id);
    if (!ticket || (ownerId !== undefined && ticket.userId !== ownerId)) throw notFound(id);
    return ticket;
  }

  async function notifyAnswered(ticket: TicketRow, body: string): Promise<void> {
    try {
      const user = await deps.findUser(ticket.userId);
      if (!user) return;
      await deps.sendMail({
        to: user.email,
        subject: `Re: ${ticket.subject}`,
        text: `Hello ${user.username},\n\nYour support request "${ticket.subject}" has an answer:\n\n${body}\n\nRead it and reply: ${deps.publicUrl}/support/${ticket.id}\n`,
      });
    } catch (error) {
      deps.onMailError?.(error, ticket.id);
    }
  }

  /** After the commit: a mail that fails is reported, and what was saved stays saved. */
  async function notifyStaff(ticket: TicketRow, body: string, isNew: boolean): Promise<void> {
    try {
      const staff = await deps.listStaff();
      for (const member of staff) {
        await deps.sendMail({
          to: member.email,
          subject: isNew ? `Support request: ${ticket.subject}` : `Support reply: ${ticket.subject}`,
          text: `${isNew ? 'A new support request' : 'A reply on a support request'} waits for an answer:\n\n${body}\n\nAnswer it: ${deps.publicUrl}/admin/support/${ticket.id}\n`,
        });
      }
    } catch (error) {
      deps.onMailError?.(error, ticket.id);
    }
  }

  return {
    async openTicket(user: Actor, request: { subject: string; body: string }): Promise<TicketWithMessages> {
      const now = clock.now();
      const opened = await database.transaction(async (tx) => {
        const ticket = await insertTicket(tx, { id: newId(), userId: user.userId, subject: request.subject, status: 'open', createdAt: now, lastMessageAt: now });
        const message = await insertTicketMessage(tx, { id: newId(), ticketId: ticket.id, authorId: user.userId, authorRole: 'user', body: request.body, createdAt: now });
        return { ticket, messages: [message], attachments: [] };
      });
      await notifyStaff(opened.ticket, request.body, true);
      return opened;
    },

    listTickets(filter: TicketFilter, limit: number): Promise<TicketRow[]> {
      return listTickets(database.db, filter, limit);
    },

    /** One ticket with its conversation: the owner's own, or (without `ownerId`) any, for staff. */
    async getTicket(id: string, ownerId?: string): Promise<TicketWithMessages> {
      return withMessages(await requireTicket(id, ownerId));
    },

    /** The user adds to their ticket; it waits for staff again, and a closed one reopens. */
    async replyAsUser(user: Actor, id: string, body: string): Promise<TicketWithMessages> {
      const ticket = await database.transaction(async (tx) => {
        await requireTicket(id, user.userId, tx);
        const now = clock.now();
        await insertTicketMessage(tx, { id: newId(), ticketId: id, authorId: user.userId, authorRole: 'user', body, createdAt: now });
        return updateTicket(tx, id, { status: 'open', lastMessageAt: now, closedAt: null });
      });
      await notifyStaff(ticket, body, false);
      return withMessages(ticket);
    },

    /** Staff answer: audited, the ticket waits for the user, who gets a mail once it is saved. */
    async replyAsStaff(staff: Actor, id: string, body: string): Promise<TicketWithMessages> {
      const ticket = await database.transaction(async (tx) => {
        const current = await requireTicket(id, undefined, tx);
        if (current.status === 'closed') throw new AppError(SupportErrors.TICKET_CLOSED, 'This ticket is closed; the user reopens it by replying', { id });
        const now = clock.now();
        const message = await insertTicketMessage(tx, { id: newId(), ticketId: id, authorId: staff.userId, authorRole: 'staff', body, createdAt: now });
        await deps.recordAudit({ actor: { type: 'admin', id: staff.userId }, action: 'support.ticket.answered', target: { type: 'support_ticket', id }, ip: staff.ip ?? null, details: { messageId: message.id } }, tx);
        return updateTicket(tx, id, { status: 'answered', lastMessageAt: now });
      });
      await notifyAnswered(ticket, body);
      return withMessages(ticket);
    },

    /** Closes a ticket: by its user (`asStaff` false) or by staff (audited). Closing a closed ticket changes nothing. */
    async closeTicket(actor: Actor, id: string, asStaff: boolean): Promise<TicketWithMessages> {
      const ticket = await database.transaction(async (tx) => {
        const current = await requireTicket(id, asStaff ? undefined : actor.userId, tx);
        if (current.status === 'closed') return current;
        if (asStaff) await deps.recordAudit({ actor: { type: 'admin', id: actor.userId }, action: 'support.ticket.closed', target: { type: 'support_ticket', id }, ip: actor.ip ?? null }, tx);
        return updateTicket(tx, id, { status: 'closed', closedAt: clock.now() });
      });
      return withMessages(ticket);
    },

    /**
     * Adds a file to a ticket: the user to their own (`ownerId`), or staff (audited). The bytes
     * are stored first, then the row in one transaction; if that fails, the bytes are removed.
     */
    async addAttachment(actor: Actor, ticketId: string, upload: { filename: string; bytes: Buffer }, ownerId: string | undefined): Promise<TicketWithMessages> {
      const type = detectFileType(upload.bytes);
      if (!type) throw new AppError(SupportErrors.ATTACHMENT_TYPE_REFUSED, 'Attach an image (PNG, JPEG, GIF, WebP), a PDF or a text file', { filename: upload.filename });
      const id = newId();
      await deps.files.put(id, upload.bytes);
      try {
        const ticket = await database.transaction(async (tx) => {
          const current = await requireTicket(ticketId, ownerId, tx);
          if (current.status === 'closed') throw new AppError(SupportErrors.TICKET_CLOSED, 'This ticket is closed; reply to reopen it first', { id: ticketId });
          if ((await countAttachments(tx, ticketId)) >= MAX_ATTACHMENTS_PER_TICKET) {
            throw new AppError(SupportErrors.TOO_MANY_ATTACHMENTS, `A ticket holds at most ${MAX_ATTACHMENTS_PER_TICKET} files`, { max: MAX_ATTACHMENTS_PER_TICKET });
          }
          const role = ownerId === undefined ? 'staff' : 'user';
          await insertAttachment(tx, {
            id,
            ticketId,
            filename: safeFilename(upload.filename, type),
            contentType: type,
            sizeBytes: upload.bytes.length,
            sha256: createHash('sha256').update(upload.bytes).digest('hex'),
            uploadedBy: actor.userId,
            authorRole: role,
            createdAt: clock.now(),
          });
          if (role === 'staff') {
            await deps.recordAudit({ actor: { type: 'admin', id: actor.userId }, action: 'support.ticket.file_added', target: { type: 'support_ticket', id: ticketId }, ip: actor.ip ?? null, details: { attachmentId: id } }, tx);
          }
          return current;
        });
        return await withMessages(ticket);
      } catch (error) {
        await removeFiles([id]);
        throw error;
      }
    },

    /** An attachment's bytes: of the user's own ticket (`ownerId`), or of any, for staff. */
    async openAttachment(ticketId: string, attachmentId: string, ownerId: string | undefined): Promise<{ attachment: TicketAttachmentRow; bytes: Buffer }> {
      await requireTicket(ticketId, ownerId);
      const attachment = isUuid(attachmentId) ? await findAttachment(database.db, ticketId, attachmentId) : undefined;
      const bytes = attachment ? await deps.files.get(attachment.id) : null;
      if (!attachment || !bytes) throw new AppError(SupportErrors.ATTACHMENT_NOT_FOUND, 'No such file on this ticket', { id: attachmentId });
      return { attachment, bytes };
    },

    /** Retention: a ticket goes, with its conversation and files, `retentionDays` after its last message. */
    async purgeInactiveTickets(): Promise<number> {
      const cutoff = new Date(clock.now().getTime() - retentionDays * 86_400_000);
      const purged = await database.transaction((tx) => deleteTicketsInactiveSince(tx, cutoff));
      await removeFiles(purged.attachmentIds);
      return purged.tickets;
    },

    async exportSubject(subject: SubjectRef): Promise<Record<string, unknown[]>> {
      const own = await listTicketsOfUser(database.db, subject.userId);
      const ids = own.map((ticket) => ticket.id);
      const messages = await listTicketMessages(database.db, ids);
      const attachments = await listAttachments(database.db, ids);
      return {
        support_tickets: own.map((ticket) => ({
          ...ticket,
          messages: messages.filter((message) => message.ticketId === ticket.id),
          attachments: attachments.filter((attachment) => attachment.ticketId === ticket.id),
        })),
        support_answers_written: await listMessagesByAuthorElsewhere(database.db, subject.userId),
        support_files_added_elsewhere: await listAttachmentsByUploaderElsewhere(database.db, subject.userId),
      };
    },

    /** The subject's own tickets go whole, files included; their answers and files on others' tickets (as staff) stay, without their name. */
    async eraseSubject(subject: SubjectRef): Promise<void> {
      const fileIds = await database.transaction(async (tx) => {
        const ids = await deleteTicketsOfUser(tx, subject.userId);
        await forgetMessageAuthor(tx, subject.userId);
        await forgetAttachmentUploader(tx, subject.userId);
        return ids;
      });
      await removeFiles(fileIds);
    },
  };
}

export type SupportService = ReturnType<typeof createSupportService>;
