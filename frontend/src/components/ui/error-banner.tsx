import { clearErrorBanner, useNotifications } from '@/lib/notifications';

/** Shows the latest failed API call's message until dismissed or replaced. */
export function ErrorBanner({ placement = 'page' }: { placement?: 'page' | 'modal' }) {
  const { banner, modalDepth } = useNotifications();
  // Exactly one banner is on screen: in the open dialog if there is one.
  const visibleHere = placement === 'modal' ? modalDepth > 0 : modalDepth === 0;
  if (!banner || !visibleHere) return null;
  return (
    <div
      className="alert alert-danger error-banner"
      role="alert"
      data-testid="error-banner"
      data-status={banner.status || undefined}
      data-code={banner.code}
    >
      <span className="alert-text">
        {banner.status === 409 ? <strong>Not allowed right now: </strong> : null}
        {banner.message}
      </span>
      <button type="button" className="icon-button" aria-label="Dismiss error" onClick={clearErrorBanner}>
        ×
      </button>
    </div>
  );
}
