import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { TaskStatus } from '@/features/tasks/api/task-schema';

const statusTones: Record<TaskStatus, BadgeTone> = {
  idle: 'neutral',
  running: 'info',
  done: 'success',
  failed: 'danger',
  cancelled: 'warning',
};

export function TaskStatusBadge({ status }: { status: TaskStatus }) {
  return (
    <Badge tone={statusTones[status]} data-testid="task-status" data-status={status}>
      {status === 'running' ? <span className="pulse" aria-hidden="true" /> : null}
      {status}
    </Badge>
  );
}

export function BrokenBadge() {
  return (
    <Badge
      tone="danger"
      className="badge-strong"
      data-testid="broken-badge"
      title="A scheduled run ended with errors, so the schedule was switched off. Fix the accounts, then turn the schedule back on."
    >
      broken
    </Badge>
  );
}
