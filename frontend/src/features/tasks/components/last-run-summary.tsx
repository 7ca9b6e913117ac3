import { formatBytes, formatCount, formatCountOf, formatDateTime, formatDuration, secondsBetween } from '@/lib/format';
import type { LastRun } from '@/features/tasks/api/task-schema';

/** One line about the last run: status, totals, when and how long. */
export function LastRunSummary({ run }: { run: LastRun | null }) {
  if (!run) return <span className="muted">Never run</span>;
  const duration = secondsBetween(run.started_at, run.finished_at);
  return (
    <span className="last-run" data-testid="last-run" data-status={run.status}>
      <span className={`run-status run-status-${run.status}`}>{run.status}</span>
      {' · '}
      {formatCount(run.total_copied)} copied, {formatCount(run.total_skipped)} skipped,{' '}
      <span className={run.total_errors > 0 ? 'text-danger' : undefined}>{formatCountOf(run.total_errors, 'error')}</span>
      {' · '}
      {formatBytes(run.total_bytes)}
      <span className="muted">
        {' · '}
        {run.trigger} · {formatDateTime(run.started_at)}
        {duration !== null ? ` · ${formatDuration(duration)}` : ''}
      </span>
    </span>
  );
}
