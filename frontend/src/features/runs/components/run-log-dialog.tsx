import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import { paths } from '@/config/paths';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Modal } from '@/components/ui/modal';
import { QueryState } from '@/components/ui/query-state';
import { DateTime } from '@/components/ui/date-time';
import { formatBytes, formatCount, formatDuration, formatEnd, secondsBetween } from '@/lib/format';
import { useRuns } from '@/features/runs/api/get-runs';
import { RunAccounts } from '@/features/runs/components/run-accounts';
import { RunStatusBadge } from '@/features/runs/components/run-status-badge';

/** The "Run log" button and the modal listing the task's runs, newest first. */
export function RunLogButton({ taskId }: { taskId: number }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="run-log-button">
        Run log
      </Button>
      <Modal open={open} onClose={() => setOpen(false)} title="Run log" size="lg" testId="run-log-modal">
        <RunLog taskId={taskId} />
      </Modal>
    </>
  );
}

function RunLog({ taskId }: { taskId: number }) {
  const runs = useRuns(taskId);
  const [expanded, setExpanded] = useState<number | null>(null);
  return (
    <QueryState
      query={runs}
      loadingLabel="Loading runs…"
      isEmpty={(list) => list.length === 0}
      empty={<EmptyState title="No runs yet" testId="run-log-empty">Runs appear here once the task has run.</EmptyState>}
    >
      {(list) => (
        <div className="table-wrap">
          <table className="table table-compact" data-testid="run-log-table">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Finished</th>
                <th scope="col">Trigger</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Copied
                </th>
                <th scope="col" className="num">
                  Skipped
                </th>
                <th scope="col" className="num">
                  Errors
                </th>
                <th scope="col" className="num">
                  Data
                </th>
                <th scope="col">
                  <span className="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((run) => {
                const isOpen = expanded === run.id;
                const duration = secondsBetween(run.started_at, run.finished_at);
                return (
                  <Fragment key={run.id}>
                    <tr data-testid="run-row" data-run-id={run.id} data-status={run.status} data-trigger={run.trigger}>
                      <td className="nowrap">
                        <DateTime iso={run.started_at} stacked />
                      </td>
                      <td className="nowrap">
                        {run.status === 'running' ? <span className="muted">running…</span> : formatEnd(run.started_at, run.finished_at)}
                        {duration !== null ? <div className="muted small">took {formatDuration(duration)}</div> : null}
                      </td>
                      <td>{run.trigger}</td>
                      <td>
                        <RunStatusBadge status={run.status} errors={run.total_errors} />
                      </td>
                      <td className="num">{formatCount(run.total_copied)}</td>
                      <td className="num">{formatCount(run.total_skipped)}</td>
                      <td className={`num ${run.total_errors > 0 ? 'text-danger' : ''}`}>{formatCount(run.total_errors)}</td>
                      <td className="num nowrap">{formatBytes(run.total_bytes)}</td>
                      <td className="nowrap">
                        <Link to={paths.run.href(run.id)} className="btn btn-ghost btn-sm" data-testid="run-row-open">
                          Open<span className="visually-hidden"> run #{run.id}</span>
                        </Link>
                        <Button
                          size="sm"
                          variant="ghost"
                          aria-expanded={isOpen}
                          aria-controls={`run-${run.id}-details`}
                          onClick={() => setExpanded(isOpen ? null : run.id)}
                          data-testid="run-row-toggle"
                        >
                          {isOpen ? 'Hide' : 'Accounts'}
                        </Button>
                      </td>
                    </tr>
                    {isOpen ? (
                      <tr id={`run-${run.id}-details`} className="detail-row" data-testid="run-details">
                        <td colSpan={9}>
                          <RunAccounts runId={run.id} runSummary={run.error_summary} />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </QueryState>
  );
}
