import { isRouteErrorResponse, useRouteError } from 'react-router';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { AlertIcon } from '../../components/icons';

/** The last line of defence: a render error anywhere shows this instead of a blank page. */
export function RouteErrorPage() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : 'Unknown error';
  const isStaleChunk = error instanceof Error && /dynamically imported module|Importing a module script failed/i.test(error.message);
  return (
    <main className="page" id="main">
      <EmptyState
        tone="danger"
        icon={<AlertIcon size={22} />}
        title={isStaleChunk ? 'Weft was updated' : 'Something broke on this page'}
        description={isStaleChunk ? 'A newer version is available. Reload to continue.' : message}
        actions={<Button variant="primary" onClick={() => window.location.reload()}>Reload</Button>}
      />
    </main>
  );
}
