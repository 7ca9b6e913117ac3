import { Link } from 'react-router';
import { EmptyState } from '@/components/ui/empty-state';
import { paths } from '@/config/paths';
import { useDocumentTitle } from '@/lib/use-document-title';

export function NotFoundRoute() {
  useDocumentTitle('Not found');
  return (
    <EmptyState title="This page does not exist">
      <Link to={paths.tasks.href()}>Back to the tasks</Link>
    </EmptyState>
  );
}
