import type { ReactNode } from 'react';
import { ApiError } from '../api/api-client';
import { Button } from './button';
import { AlertIcon } from './icons';

interface EmptyStateProps {
  icon?: ReactNode;
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  tone?: 'neutral' | 'danger';
}

export function EmptyState({ icon, title, description, actions, tone = 'neutral' }: EmptyStateProps) {
  return (
    <div className={tone === 'danger' ? 'empty-state empty-state-danger' : 'empty-state'}>
      {icon ? <div className="empty-state-icon">{icon}</div> : null}
      <h2>{title}</h2>
      {description ? <p>{description}</p> : null}
      {actions ? <div className="row">{actions}</div> : null}
    </div>
  );
}

/** What a failed query shows: the API's message, its request id for support, and a retry. */
export function ErrorState({ error, onRetry, title = 'This could not be loaded' }: { error: unknown; onRetry?: () => void; title?: string }) {
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  const requestId = error instanceof ApiError ? error.requestId : null;
  return (
    <div role="alert">
      <EmptyState
        tone="danger"
        icon={<AlertIcon size={22} />}
        title={title}
        description={
          <>
            {message}
            {requestId ? <span className="subtle"> (request {requestId})</span> : null}
          </>
        }
        actions={onRetry ? <Button onClick={onRetry}>Try again</Button> : null}
      />
    </div>
  );
}
