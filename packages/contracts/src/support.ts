import { z } from 'zod';
import { IsoDate, Page, PageQuery } from './common';

export const TicketStatus = z.enum(['open', 'answered', 'closed']);
export type TicketStatus = z.output<typeof TicketStatus>;

const TicketBody = z.string().trim().min(1, 'Write a message').max(10_000, 'A message is at most 10,000 characters');

/** A support ticket without its conversation; `requester` only in staff replies. */
export const SupportTicket = z.object({
  id: z.string(),
  subject: z.string(),
  status: TicketStatus,
  createdAt: IsoDate,
  lastMessageAt: IsoDate,
  closedAt: IsoDate.nullable(),
  requester: z.object({ id: z.string(), username: z.string().nullable() }).optional(),
});
export type SupportTicket = z.output<typeof SupportTicket>;

export const TicketMessage = z.object({
  id: z.string(),
  authorRole: z.enum(['user', 'staff']),
  body: z.string(),
  createdAt: IsoDate,
});
export type TicketMessage = z.output<typeof TicketMessage>;

/** A file on a ticket; `url` downloads it (for whoever may read the ticket). */
export const TicketAttachment = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  authorRole: z.enum(['user', 'staff']),
  url: z.string(),
  createdAt: IsoDate,
});
export type TicketAttachment = z.output<typeof TicketAttachment>;

export const TicketThread = SupportTicket.extend({ messages: z.array(TicketMessage), attachments: z.array(TicketAttachment) });
export type TicketThread = z.output<typeof TicketThread>;

export const TicketPage = Page(SupportTicket);
export type TicketPage = z.output<typeof TicketPage>;

/** `GET /api/v1/support/tickets` (one's own) and `GET /api/v1/admin/support/tickets` (every user's), last activity first. */
export const TicketQuery = PageQuery.extend({ status: TicketStatus.optional() });
export type TicketQuery = z.input<typeof TicketQuery>;

export const TicketIdParams = z.object({ id: z.string().min(1).max(64) });
export const TicketAttachmentParams = z.object({ id: z.string().min(1).max(64), attachmentId: z.string().min(1).max(64) });
/** `POST …/tickets/:id/attachments?filename=…` with the file as an `application/octet-stream` body. */
export const TicketAttachmentQuery = z.object({ filename: z.string().trim().min(1).max(200) });

/** One line: it becomes a mail's subject, where a line break would start a header of its own. */
const TicketSubject = z
  .string()
  .trim()
  .min(1, 'Say what it is about')
  .max(200)
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'One line, without control characters');

export const OpenTicketBody = z.strictObject({ subject: TicketSubject, body: TicketBody });
export type OpenTicketBody = z.input<typeof OpenTicketBody>;

export const TicketReplyBody = z.strictObject({ body: TicketBody });
export type TicketReplyBody = z.input<typeof TicketReplyBody>;
