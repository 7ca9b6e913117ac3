import { useNotifications } from '@/lib/notifications';

/**
 * Short confirmations ("Server added"). They pass clicks through to whatever is
 * under them and go away by themselves, so they never stand between the admin
 * and a button; screen readers hear them through the live region.
 */
export function Toasts() {
  const { toasts } = useNotifications();
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.tone}`} data-testid="toast">
          {toast.message}
        </div>
      ))}
    </div>
  );
}
