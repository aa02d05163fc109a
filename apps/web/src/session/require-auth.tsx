import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorState } from '../components/empty-state';
import { LoadingBlock } from '../components/spinner';
import { wasSignedOutOnPurpose } from '../api/api-client';
import { SignedInAccountContext, useMe } from './session';

/** Shows its children to a signed-in account; sends anyone else to /login and back here afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <LoadingBlock label="Loading your account…" />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) {
    if (wasSignedOutOnPurpose()) return <Navigate to="/login" replace />;
    const next = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <SignedInAccountContext.Provider value={me.data}>{children}</SignedInAccountContext.Provider>;
}

/** Keeps signed-in people off the sign-in pages. */
export function RedirectIfSignedIn({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <LoadingBlock />;
  if (me.data) return <Navigate to={safeNextPath(new URLSearchParams(location.search).get('next'))} replace />;
  return <>{children}</>;
}

/** Only same-site paths: `next` comes from the URL and must not send the user elsewhere. */
export function safeNextPath(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
