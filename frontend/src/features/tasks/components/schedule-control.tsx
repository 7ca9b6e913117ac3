import { useId } from 'react';
import { Button } from '@/components/ui/button';
import { useBlockedReason } from '@/lib/role';
import type { Task } from '@/features/tasks/api/task-schema';
import { useUpdateSchedule } from '@/features/tasks/api/update-schedule';
import { NextRunText } from '@/features/tasks/components/next-run-text';
import { scheduleOptions } from '@/features/tasks/lib/schedule';
import { scheduleBlocker, type ScheduleGate } from '@/features/tasks/lib/task-readiness';

type Props = {
  task: Task;
  /** The enabled accounts that keep the schedule off; without it the server alone decides (its 409). */
  gate?: ScheduleGate;
  /** Filter the accounts list to the ones the reason names. */
  onShowAccounts?: (testStatus: 'fail' | 'untested') => void;
};

/**
 * The select shows the server's interval, except while a change is in flight.
 * A refused change (409/400) ends with the task re-read, so the select falls
 * back to what the server really has. When turning it on would be refused, it
 * is disabled with the reason beside it; a schedule that is on can always be
 * turned off, so then only the other intervals are disabled.
 */
export function ScheduleControl({ task, gate, onShowAccounts }: Props) {
  const update = useUpdateSchedule(task.id);
  const selectId = useId();
  const shown = update.isPending && update.variables !== undefined ? update.variables : task.schedule_interval_seconds;
  const current = task.schedule_interval_seconds;
  const blocker = gate ? scheduleBlocker(gate) : null;
  const roleBlock = useBlockedReason('operator');
  const reasonId = `${selectId}-reason`;
  const describedBy = [roleBlock || blocker ? reasonId : null, `${selectId}-help`].filter(Boolean).join(' ');

  return (
    <div className="schedule-control" data-testid="schedule-control">
      <div className="schedule-row">
        <label htmlFor={selectId}>Repeat</label>
        <select
          id={selectId}
          value={String(shown)}
          onChange={(event) => update.mutate(Number(event.target.value))}
          aria-busy={update.isPending || undefined}
          aria-describedby={describedBy}
          disabled={roleBlock !== null || (blocker !== null && current === 0)}
          title={roleBlock ?? undefined}
          data-testid="schedule-select"
          data-server-value={current}
        >
          {scheduleOptions(current).map((o) => (
            <option key={o.seconds} value={String(o.seconds)} disabled={blocker !== null && o.seconds !== 0 && o.seconds !== current}>
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
        <p className="action-reason" id={reasonId} data-testid="schedule-role-reason">
          {roleBlock}
        </p>
      ) : blocker && gate ? (
        <div className="action-reason schedule-reason">
          <p id={reasonId} data-testid="schedule-reason">
            {current === 0 ? 'Scheduling is off until every enabled account passes the login test: ' : 'Only Off can be chosen now: '}
            {blocker}
          </p>
          {onShowAccounts ? (
            <p className="schedule-reason-links">
              {gate.failed.length > 0 ? (
                <Button size="sm" variant="ghost" onClick={() => onShowAccounts('fail')} data-testid="schedule-show-failed">
                  Show the accounts that failed
                </Button>
              ) : null}
              {gate.untested.length > 0 ? (
                <Button size="sm" variant="ghost" onClick={() => onShowAccounts('untested')} data-testid="schedule-show-untested">
                  Show the accounts not tested
                </Button>
              ) : null}
            </p>
          ) : null}
        </div>
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
