import { OpenTicketBody, TicketAttachmentParams, TicketAttachmentQuery, TicketIdParams, TicketPage, TicketQuery, TicketReplyBody, TicketThread } from '@weft/contracts';
import { decodeCursor, defineRoute, pageFromRows, type RouteContext, type RouteDefinition } from '@weft/http';
import { isUuid } from '@weft/kernel';
import { z } from 'zod';
import type { TicketRow } from './support.repository';
import type { SupportService, TicketWithMessages } from './support.service';

/** A screenshot, a log or a PDF; the type is read from the bytes, so the body is sent as plain bytes. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

/** The accounts module's batch lookup: who asked, for the staff's inbox. */
export type FindUsernames = (userIds: string[]) => Promise<Map<string, string>>;

function beforeCursor(cursor: string | undefined): { lastMessageAt: Date; id: string } | undefined {
  const decoded = decodeCursor(cursor);
  const at = decoded?.at ? new Date(decoded.at) : undefined;
  return at && !Number.isNaN(at.getTime()) && isUuid(decoded?.id ?? '') ? { lastMessageAt: at, id: decoded!.id! } : undefined;
}

function toTicket(row: TicketRow, usernames?: Map<string, string>) {
  const ticket = { id: row.id, subject: row.subject, status: row.status, createdAt: row.createdAt, lastMessageAt: row.lastMessageAt, closedAt: row.closedAt };
  return usernames ? { ...ticket, requester: { id: row.userId, username: usernames.get(row.userId) ?? null } } : ticket;
}

function toThread({ ticket, messages, attachments }: TicketWithMessages, usernames?: Map<string, string>) {
  const base = usernames ? `/api/v1/admin/support/tickets/${ticket.id}` : `/api/v1/support/tickets/${ticket.id}`;
  // Staff are "staff" to the user: which administrator answered is in the audit log, not the reply.
  return {
    ...toTicket(ticket, usernames),
    messages: messages.map(({ id, authorRole, body, createdAt }) => ({ id, authorRole, body, createdAt })),
    attachments: attachments.map(({ id, filename, contentType, sizeBytes, authorRole, createdAt }) => ({
      id,
      filename,
      contentType,
      sizeBytes,
      authorRole,
      createdAt,
      url: `${base}/attachments/${id}`,
    })),
  };
}

/** A download, never a page: the browser saves it, and nothing in it runs on this site. */
function sendAttachment(reply: RouteContext<unknown, unknown, unknown>['reply'], file: { attachment: { filename: string; contentType: string }; bytes: Buffer }) {
  return reply
    .status(200)
    .type(file.attachment.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : file.attachment.contentType)
    .header('content-disposition', `attachment; filename="${file.attachment.filename}"`)
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store')
    .send(file.bytes);
}

function page(rows: TicketRow[], limit: number, usernames?: Map<string, string>) {
  return pageFromRows(rows, limit, (row) => ({ at: row.lastMessageAt.toISOString(), id: row.id }), (row) => toTicket(row, usernames));
}

export function createSupportRoutes(support: SupportService, findUsernames: FindUsernames): RouteDefinition[] {
  /** What staff see of a ticket: its conversation and who asked. */
  const staffThread = async (pending: Promise<TicketWithMessages>) => {
    const thread = await pending;
    return toThread(thread, await findUsernames([thread.ticket.userId]));
  };
  const MINE = '/api/v1/support/tickets';
  const STAFF = '/api/v1/admin/support/tickets';
  return [
    defineRoute({
      method: 'POST',
      url: MINE,
      auth: 'user',
      summary: 'Ask the instance’s staff for help: a subject and a first message',
      tags: ['support'],
      body: OpenTicketBody,
      response: TicketThread,
      successStatus: 201,
      // A person asks a few questions a day; a script filling the inbox is stopped here.
      rateLimit: { max: 20, timeWindowMs: 3_600_000 },
      handler: async ({ body, principal }) => toThread(await support.openTicket({ userId: principal!.userId }, body)),
    }),
    defineRoute({
      method: 'GET',
      url: MINE,
      auth: 'user',
      summary: 'Your tickets, the most recently active first',
      tags: ['support'],
      query: TicketQuery,
      response: TicketPage,
      handler: async ({ query, principal }) => page(await support.listTickets({ userId: principal!.userId, status: query.status, before: beforeCursor(query.cursor) }, query.limit + 1), query.limit),
    }),
    defineRoute({
      method: 'GET',
      url: `${MINE}/:id`,
      auth: 'user',
      summary: 'One of your tickets with its conversation',
      tags: ['support'],
      params: TicketIdParams,
      response: TicketThread,
      handler: async ({ params, principal }) => toThread(await support.getTicket(params.id, principal!.userId)),
    }),
    defineRoute({
      method: 'POST',
      url: `${MINE}/:id/messages`,
      auth: 'user',
      summary: 'Add to your ticket (a closed one reopens)',
      tags: ['support'],
      params: TicketIdParams,
      body: TicketReplyBody,
      response: TicketThread,
      handler: async ({ params, body, principal }) => toThread(await support.replyAsUser({ userId: principal!.userId }, params.id, body.body)),
    }),
    defineRoute({
      method: 'POST',
      url: `${MINE}/:id/close`,
      auth: 'user',
      summary: 'Close your ticket: the question is settled',
      tags: ['support'],
      params: TicketIdParams,
      response: TicketThread,
      handler: async ({ params, principal }) => toThread(await support.closeTicket({ userId: principal!.userId }, params.id, false)),
    }),
    defineRoute({
      method: 'POST',
      url: `${MINE}/:id/attachments`,
      auth: 'user',
      summary: 'Add a file to your ticket: an image, a PDF or a text file of at most 5 MB, as the body',
      tags: ['support'],
      params: TicketIdParams,
      query: TicketAttachmentQuery,
      upload: { contentTypes: ['application/octet-stream'], maxBytes: MAX_ATTACHMENT_BYTES },
      response: TicketThread,
      successStatus: 201,
      handler: async ({ params, query, request, principal }) =>
        toThread(await support.addAttachment({ userId: principal!.userId }, params.id, { filename: query.filename, bytes: request.body as Buffer }, principal!.userId)),
    }),
    defineRoute({
      method: 'GET',
      url: `${MINE}/:id/attachments/:attachmentId`,
      auth: 'user',
      summary: 'Download a file of your ticket',
      tags: ['support'],
      params: TicketAttachmentParams,
      response: z.unknown(),
      handler: async ({ params, principal, reply }) => sendAttachment(reply, await support.openAttachment(params.id, params.attachmentId, principal!.userId)),
    }),
    defineRoute({
      method: 'GET',
      url: STAFF,
      auth: 'admin',
      summary: 'Every user’s tickets, the most recently active first (instance administrators)',
      tags: ['support'],
      query: TicketQuery,
      response: TicketPage,
      handler: async ({ query }) => {
        const rows = await support.listTickets({ status: query.status, before: beforeCursor(query.cursor) }, query.limit + 1);
        return page(rows, query.limit, await findUsernames([...new Set(rows.map((row) => row.userId))]));
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${STAFF}/:id`,
      auth: 'admin',
      summary: 'Any ticket with its conversation and who asked',
      tags: ['support'],
      params: TicketIdParams,
      response: TicketThread,
      handler: ({ params }) => staffThread(support.getTicket(params.id)),
    }),
    defineRoute({
      method: 'POST',
      url: `${STAFF}/:id/messages`,
      auth: 'admin',
      summary: 'Answer a ticket as staff; the user is told by mail',
      tags: ['support'],
      params: TicketIdParams,
      body: TicketReplyBody,
      response: TicketThread,
      handler: ({ params, body, principal, ip }) => staffThread(support.replyAsStaff({ userId: principal!.userId, ip }, params.id, body.body)),
    }),
    defineRoute({
      method: 'POST',
      url: `${STAFF}/:id/attachments`,
      auth: 'admin',
      summary: 'Add a file to a ticket as staff (audited)',
      tags: ['support'],
      params: TicketIdParams,
      query: TicketAttachmentQuery,
      upload: { contentTypes: ['application/octet-stream'], maxBytes: MAX_ATTACHMENT_BYTES },
      response: TicketThread,
      successStatus: 201,
      handler: ({ params, query, request, principal, ip }) =>
        staffThread(support.addAttachment({ userId: principal!.userId, ip }, params.id, { filename: query.filename, bytes: request.body as Buffer }, undefined)),
    }),
    defineRoute({
      method: 'GET',
      url: `${STAFF}/:id/attachments/:attachmentId`,
      auth: 'admin',
      summary: 'Download a file of any ticket',
      tags: ['support'],
      params: TicketAttachmentParams,
      response: z.unknown(),
      handler: async ({ params, reply }) => sendAttachment(reply, await support.openAttachment(params.id, params.attachmentId, undefined)),
    }),
    defineRoute({
      method: 'POST',
      url: `${STAFF}/:id/close`,
      auth: 'admin',
      summary: 'Close a ticket as staff',
      tags: ['support'],
      params: TicketIdParams,
      response: TicketThread,
      handler: ({ params, principal, ip }) => staffThread(support.closeTicket({ userId: principal!.userId, ip }, params.id, true)),
    }),
  ];
}
