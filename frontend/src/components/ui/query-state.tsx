import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';

type QueryStateProps<T> = {
  query: UseQueryResult<T>;
  /** What "nothing here yet" looks like; shown when isEmpty(data). */
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  loadingLabel?: string;
  children: (data: T) => ReactNode;
};

/** The loading, error and empty states every list needs, in one place. */
export function QueryState<T>({ query, empty, isEmpty, loadingLabel, children }: QueryStateProps<T>) {
  if (query.isPending) return <Spinner label={loadingLabel} />;
  if (query.isError) {
    return (
      <div className="alert alert-danger" role="alert" data-testid="query-error">
        <span>{query.error.message}</span>
        <Button size="sm" onClick={() => void query.refetch()}>
          Try again
        </Button>
      </div>
    );
  }
  if (empty !== undefined && isEmpty?.(query.data)) return <>{empty}</>;
  return <>{children(query.data)}</>;
}
