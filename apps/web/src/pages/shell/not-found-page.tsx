import { ButtonLink } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { useDocumentTitle } from '../../lib/use-document-title';

export function NotFoundPage() {
  useDocumentTitle('Page not found');
  return (
    <div className="page">
      <EmptyState
        title="This page does not exist"
        description="The link may be old or mistyped."
        actions={<ButtonLink to="/" variant="primary">Back to the dashboard</ButtonLink>}
      />
    </div>
  );
}
