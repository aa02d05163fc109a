import type { TicketSide, TicketStatus } from '../../api/support.api';

/** The same state reads differently to each side: "answered" means the user has something to read. */
const LABELS: Record<TicketSide, Record<TicketStatus, string>> = {
  user: { open: 'Waiting for staff', answered: 'Answered', closed: 'Closed' },
  staff: { open: 'Needs an answer', answered: 'Waiting for the user', closed: 'Closed' },
};
const TONES: Record<TicketStatus, string> = { open: 'badge-warning', answered: 'badge-success', closed: '' };

export function TicketStatusBadge({ status, side }: { status: TicketStatus; side: TicketSide }) {
  return <span className={['badge', TONES[status]].filter(Boolean).join(' ')}>{LABELS[side][status]}</span>;
}
