import { EmptyState } from '@/components/ui/empty-state';
import { QueryState } from '@/components/ui/query-state';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useNotificationSettings } from '@/features/notifications/api/get-notification-settings';
import { useNotifications } from '@/features/notifications/api/get-notifications';
import { NotificationLog } from '@/features/notifications/components/notification-log';
import { NotificationSettingsForm } from '@/features/notifications/components/notification-settings-form';

const POLL_MS = 3_000;

export function NotificationsRoute() {
  useDocumentTitle('Notifications');
  const settings = useNotificationSettings();
  const log = useNotifications({ pollMs: POLL_MS });

  return (
    <>
      <div className="page-header">
        <h1>Notifications</h1>
      </div>
      <section className="card" aria-labelledby="channels-heading">
        <header className="card-header">
          <h2 id="channels-heading">Channels</h2>
        </header>
        <p className="muted">
          A tripped breaker sends one notice at once; a failed run at most one per task per hour; a digest goes out
          daily.
        </p>
        <QueryState query={settings} loadingLabel="Loading the settings…">
          {(data) => <NotificationSettingsForm settings={data} />}
        </QueryState>
      </section>
      <section className="card" aria-labelledby="log-heading">
        <header className="card-header">
          <h2 id="log-heading">Log</h2>
        </header>
        <QueryState
          query={log}
          loadingLabel="Loading notifications…"
          isEmpty={(list) => list.length === 0}
          empty={<EmptyState title="No notifications yet" />}
        >
          {(list) => <NotificationLog notifications={list} />}
        </QueryState>
      </section>
    </>
  );
}
