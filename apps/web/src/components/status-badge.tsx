import type { RunStatus } from '../api/runs.api';

const TONES: Record<string, string> = {
  succeeded: 'badge-success',
  failed: 'badge-danger',
  timed_out: 'badge-danger',
  cancelled: 'badge-warning',
  running: 'badge-info',
  queued: 'badge-accent',
  waiting: 'badge-warning',
  skipped: '',
};

const LABELS: Record<string, string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  timed_out: 'Timed out',
  cancelled: 'Cancelled',
  running: 'Running',
  queued: 'Queued',
  waiting: 'Waiting',
  skipped: 'Skipped',
};

/** Status as colour and words (colour alone would not reach everyone). */
export function StatusBadge({ status }: { status: RunStatus | string }) {
  return (
    <span className={`badge ${TONES[status] ?? ''}`}>
      <span className="badge-dot" aria-hidden="true" />
      {LABELS[status] ?? status}
    </span>
  );
}
