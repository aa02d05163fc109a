import type { OpenTicketBody, SupportTicket, TicketPage, TicketStatus, TicketThread } from '@weft/contracts';
import { api } from './api-client';

export type { SupportTicket, TicketStatus, TicketThread };

const MINE = '/api/v1/support/tickets';
const STAFF = '/api/v1/admin/support/tickets';

/** Who is looking: the user who asked (their own tickets) or staff (every ticket). */
export type TicketSide = 'user' | 'staff';

const base = (side: TicketSide) => (side === 'staff' ? STAFF : MINE);

export const supportApi = {
  list: (side: TicketSide, status: TicketStatus | undefined, cursor?: string) => api.get<TicketPage>(base(side), { query: { status, limit: 30, cursor } }),
  get: (side: TicketSide, id: string) => api.get<TicketThread>(`${base(side)}/${id}`),
  open: (body: OpenTicketBody) => api.post<TicketThread>(MINE, body),
  reply: (side: TicketSide, id: string, body: string) => api.post<TicketThread>(`${base(side)}/${id}/messages`, { body }),
  close: (side: TicketSide, id: string) => api.post<TicketThread>(`${base(side)}/${id}/close`),
  /** Sent as plain bytes: the server reads the type from them (an image, a PDF or text). */
  attach: (side: TicketSide, id: string, file: File) =>
    api.upload<TicketThread>(`${base(side)}/${id}/attachments`, new Blob([file], { type: 'application/octet-stream' }), { query: { filename: file.name } }),
};

export const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
