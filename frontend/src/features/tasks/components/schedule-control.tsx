import { useId } from 'react';
import { useBlockedReason } from '@/lib/role';
import type { Task } from '@/features/tasks/api/task-schema';
import { useUpdateSchedule } from '@/features/tasks/api/update-schedule';
import { NextRunText } from '@/features/tasks/components/next-run-text';
import { scheduleOptions } from '@/features/tasks/lib/schedule';
import { scheduleBlocker, type AccountReadiness } from '@/features/tasks/lib/task-readiness';

/**
 * The select shows the server's interval, except while a change is in flight.
 * A refused change (409/400) ends with the task re-read, so the select falls
 * back to what the server really has.
 */
export function ScheduleControl({ task, readiness }: { task: Task; readiness?: AccountReadiness }) {
  const update = useUpdateSchedule(task.id);
  const selectId = useId();
  const shown = update.isPending && update.variables !== undefined ? update.variables : task.schedule_interval_seconds;
  // The select stays usable (the server has the last word, and its 409 is shown), but the admin
  // reads why turning it on would be refused before trying.
  const blocker = readiness && task.schedule_interval_seconds === 0 ? scheduleBlocker(readiness) : null;
  const roleBlock = useBlockedReason('operator');

  return (
    <div className="schedule-control" data-testid="schedule-control">
      <div className="schedule-row">
        <label htmlFor={selectId}>Repeat</label>
        <select
          id={selectId}
          value={String(shown)}
          onChange={(event) => update.mutate(Number(event.target.value))}
          aria-busy={update.isPending || undefined}
          aria-describedby={`${selectId}-help`}
          disabled={roleBlock !== null}
          title={roleBlock ?? undefined}
          data-testid="schedule-select"
          data-server-value={task.schedule_interval_seconds}
        >
          {scheduleOptions(task.schedule_interval_seconds).map((o) => (
            <option key={o.seconds} value={String(o.seconds)}>
              {o.label}
            </option>
          ))}
        </select>
        {update.isPending ? <span className="spinner spinner-inline" aria-label="Saving schedule" /> : null}
      </div>
      <p className="schedule-next">
        <NextRunText task={task} />
      </p>
      {roleBlock ? (
        <p className="action-reason" data-testid="schedule-role-reason">
          {roleBlock}
        </p>
      ) : blocker ? (
        <p className="action-reason" data-testid="schedule-reason">
          {blocker}
        </p>
      ) : null}
      {task.schedule_waiting_reason ? (
        <p className="schedule-waiting" data-testid="schedule-waiting">
          {task.schedule_waiting_reason}: test them to let the schedule run.
        </p>
      ) : null}
      <p className="field-hint" id={`${selectId}-help`}>
        Each run copies only what is new. Turning a schedule on needs every enabled (not paused) account tested OK on both sides; the
        next run starts one interval after the last one finished.
      </p>
    </div>
  );
}
