import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { ApiError, setUnauthenticatedHandler } from './api/api-client';
import { queryKeys } from './api/query-keys';
import { ToastProvider } from './components/toast';
import { createAppRouter } from './routes';

const PUBLIC_PATHS = ['/login', '/signup', '/verify-email', '/forgot-password', '/reset-password'];

function isRetryable(failureCount: number, error: unknown): boolean {
  // 4xx answers will not change by asking again; network blips and 5xx may.
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

const queryClient = new QueryClient({
  queryCache: new QueryCache(),
  mutationCache: new MutationCache(),
  defaultOptions: {
    queries: { retry: isRetryable, staleTime: 10_000, refetchOnWindowFocus: true },
    mutations: { retry: false },
  },
});

const router = createAppRouter();

// The session ended (expired, revoked elsewhere): back to the sign-in page, then here again.
setUnauthenticatedHandler(() => {
  const { pathname, search } = window.location;
  if (PUBLIC_PATHS.some((path) => pathname.startsWith(path))) return;
  queryClient.setQueryData(queryKeys.me, null);
  void router.navigate(`/login?next=${encodeURIComponent(pathname + search)}`, { replace: true });
});

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <RouterProvider router={router} />
      </ToastProvider>
    </QueryClientProvider>
  );
}
