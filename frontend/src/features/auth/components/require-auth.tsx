import { Navigate, Outlet, useLocation } from 'react-router';
import { Spinner } from '@/components/ui/spinner';
import { paths } from '@/config/paths';
import { useMe } from '@/features/auth/api/get-me';

/** Route guard: renders the child routes only with a live session. */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Spinner label="Checking your session…" />;
  if (me.isError) {
    return (
      <div className="alert alert-danger" role="alert" data-testid="query-error">
        {me.error.message}
      </div>
    );
  }
  if (!me.data) return <Navigate to={paths.login.href(location.pathname + location.search)} replace />;
  return <Outlet />;
}
