import { Badge } from '@/components/ui/badge';
import { describeStatus } from '@/lib/status-display';
import type { Task } from '@/features/tasks/api/task-schema';

/** The task's status; "done" after a run that had errors reads "done with errors". */
export function TaskStatusBadge({ task }: { task: Pick<Task, 'status' | 'last_run'> }) {
  const { status, last_run: lastRun } = task;
  const errors = status === 'done' && lastRun?.status === 'done' ? lastRun.total_errors : 0;
  const shown = describeStatus(status, errors);
  return (
    <Badge tone={shown.tone} data-testid="task-status" data-status={status} title={shown.hint ?? undefined}>
      {status === 'running' ? <span className="pulse" aria-hidden="true" /> : null}
      {shown.label}
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
