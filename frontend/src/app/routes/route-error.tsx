import { isRouteErrorResponse, useRouteError } from 'react-router';

/** Last line of defence: a page that crashed while rendering. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Unknown error';
  return (
    <main className="login-page">
      <div className="login-card" role="alert" data-testid="route-error">
        <h1>Something went wrong</h1>
        <p className="muted">{message}</p>
        <p>
          <a href="/tasks">Reload the application</a>
        </p>
      </div>
    </main>
  );
}
