import { Badge } from '@/components/ui/badge';
import { DateTime } from '@/components/ui/date-time';
import type { Notification } from '@/features/notifications/api/notification-schema';
import { statusTone } from '@/features/notifications/lib/recipients';

/** Every notification with its delivery status and the last attempt's error. */
export function NotificationLog({ notifications }: { notifications: Notification[] }) {
  return (
    <div className="table-wrap">
      <table className="table table-compact" data-testid="notification-log">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Channel</th>
            <th scope="col">To</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
          </tr>
        </thead>
        <tbody>
          {notifications.map((n) => {
            const last = n.attempts.at(-1);
            return (
              <tr key={n.id} data-testid="notification-row" data-status={n.status} data-kind={n.kind}>
                <td>
                  <DateTime iso={n.created_at} stacked />
                </td>
                <td>
                  {n.subject}
                  {n.run_id ? <span className="muted small"> (run #{n.run_id})</span> : null}
                </td>
                <td>{n.channel === 'email' ? 'E-mail' : 'Webhook'}</td>
                <td className="mono">{n.target}</td>
                <td>
                  <Badge tone={statusTone[n.status]}>{n.status}</Badge>
                </td>
                <td>
                  {n.attempts.length}
                  {last && !last.ok && last.error ? <p className="muted small">{last.error}</p> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
