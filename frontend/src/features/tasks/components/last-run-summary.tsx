import { DateTime } from '@/components/ui/date-time';
import { formatBytes, formatCount, formatCountOf, formatDuration, secondsBetween } from '@/lib/format';
import { describeStatus } from '@/lib/status-display';
import type { LastRun } from '@/features/tasks/api/task-schema';

/** One line about the last run: status, totals, when and how long. */
export function LastRunSummary({ run }: { run: LastRun | null }) {
  if (!run) return <span className="muted">Never run</span>;
  const duration = secondsBetween(run.started_at, run.finished_at);
  const shown = describeStatus(run.status, run.total_errors);
  return (
    <span className="last-run" data-testid="last-run" data-status={run.status}>
      <span className={`run-status run-status-${shown.tone}`} title={shown.hint ?? undefined}>
        {shown.label}
      </span>
      {' · '}
      {formatCount(run.total_copied)} copied, {formatCount(run.total_skipped)} skipped,{' '}
      <span className={run.total_errors > 0 ? 'text-danger' : undefined}>{formatCountOf(run.total_errors, 'error')}</span>
      {' · '}
      {formatBytes(run.total_bytes)}
      <span className="muted last-run-meta">
        {run.trigger} · <DateTime iso={run.started_at} />
        {duration !== null ? ` · took ${formatDuration(duration)}` : ''}
      </span>
    </span>
  );
}
