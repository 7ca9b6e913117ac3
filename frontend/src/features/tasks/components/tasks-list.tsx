import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '@/components/ui/empty-state';
import { Button } from '@/components/ui/button';
import { QueryState } from '@/components/ui/query-state';
import { paths } from '@/config/paths';
import { formatCount, formatCountOf } from '@/lib/format';
import type { Task } from '@/features/tasks/api/task-schema';
import { useTasks } from '@/features/tasks/api/get-tasks';
import { DeleteTaskDialog } from '@/features/tasks/components/delete-task-dialog';
import { LastRunSummary } from '@/features/tasks/components/last-run-summary';
import { NextRunText } from '@/features/tasks/components/next-run-text';
import { BrokenBadge, TaskStatusBadge } from '@/features/tasks/components/task-badges';
import { scheduleLabel } from '@/features/tasks/lib/schedule';
import { deleteTaskState } from '@/features/tasks/lib/task-readiness';

type Props = {
  endpointName: (id: number) => string;
  pollMs: number | false;
  /** The next step when there is no task yet (it depends on whether servers exist). */
  empty: { title: string; body: ReactNode };
};

export function TasksList({ endpointName, pollMs, empty }: Props) {
  const tasks = useTasks({ pollMs });
  const [deleting, setDeleting] = useState<Task | null>(null);

  return (
    <>
      <QueryState
        query={tasks}
        loadingLabel="Loading tasks…"
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState title={empty.title} testId="tasks-empty">
            {empty.body}
          </EmptyState>
        }
      >
        {(list) => (
          <div className="table-wrap">
            <table className="table table-stack" data-testid="tasks-table">
              <thead>
                <tr>
                  <th scope="col">Task</th>
                  <th scope="col">Source → destination</th>
                  <th scope="col">Status</th>
                  <th scope="col">Schedule</th>
                  <th scope="col">Last run</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((task) => (
                  <TaskRow key={task.id} task={task} endpointName={endpointName} onDelete={() => setDeleting(task)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <DeleteTaskDialog task={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}

type RowProps = { task: Task; endpointName: (id: number) => string; onDelete: () => void };

function TaskRow({ task, endpointName, onDelete }: RowProps) {
  const deletable = deleteTaskState(task.status);
  const reasonId = `task-${task.id}-delete-reason`;
  return (
    <tr data-testid="task-row" data-task-id={task.id}>
      <td data-label="Task">
        <Link className="strong" to={paths.task.href(task.id)}>
          {task.name}
        </Link>
        <div className="small muted" data-testid="task-counts">
          {formatCountOf(task.account_count, 'account')}
          {task.failing_count > 0 ? (
            <>
              {' · '}
              <span className="text-danger">{formatCount(task.failing_count)} failing</span>
            </>
          ) : null}
          {task.paused_count > 0 ? ` · ${formatCount(task.paused_count)} paused` : null}
        </div>
      </td>
      <td data-label="Source → destination">
        <span>
          {endpointName(task.src_endpoint_id)} <span aria-label="to">→</span> {endpointName(task.dst_endpoint_id)}
        </span>
      </td>
      <td data-label="Status">
        <span className="badge-group">
          <TaskStatusBadge task={task} />
          {task.broken ? <BrokenBadge /> : null}
        </span>
      </td>
      <td data-label="Schedule">
        <div>
          <div data-testid="task-schedule">{scheduleLabel(task.schedule_interval_seconds)}</div>
          {task.schedule_interval_seconds > 0 || task.broken ? (
            <div className="small">
              <NextRunText task={task} />
            </div>
          ) : null}
        </div>
      </td>
      <td className="small" data-label="Last run">
        <LastRunSummary run={task.last_run} />
      </td>
      <td className="row-actions">
        <Button requires="operator"
          size="sm"
          variant="danger"
          onClick={onDelete}
          disabled={!deletable.allowed}
          aria-label={`Delete ${task.name}`}
          aria-describedby={deletable.allowed ? undefined : reasonId}
          data-testid="delete-task-button"
        >
          Delete
        </Button>
        {deletable.reason ? (
          <p className="action-reason row-reason" id={reasonId}>
            {deletable.reason}
          </p>
        ) : null}
      </td>
    </tr>
  );
}
