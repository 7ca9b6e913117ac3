import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { pushToast } from '@/lib/notifications';
import { useCancelTask } from '@/features/tasks/api/cancel-task';
import { useRunTask } from '@/features/tasks/api/run-task';
import type { Task } from '@/features/tasks/api/task-schema';
import { useTestTask } from '@/features/tasks/api/test-task';
import {
  cancelState,
  runState,
  testAllState,
  type AccountReadiness,
  type ActionState,
} from '@/features/tasks/lib/task-readiness';

type Props = {
  task: Task;
  readiness: AccountReadiness;
  isTesting: boolean;
  onTestStarted: () => void;
};

function Reason({ id, state }: { id: string; state: ActionState }) {
  if (state.allowed || !state.reason) return null;
  return (
    <p className="action-reason" id={id} data-testid={id}>
      {state.reason}
    </p>
  );
}

/** Test all, Run and Cancel, each disabled with the reason written next to it. */
export function TaskActions({ task, readiness, isTesting, onTestStarted }: Props) {
  const test = useTestTask(task.id, { onSuccess: onTestStarted });
  const run = useRunTask(task.id, { onSuccess: () => pushToast('Run started') });
  // Remember which run was asked to stop: it keeps running until its jobs finish their batch.
  const [cancelledRunId, setCancelledRunId] = useState<number | null>(null);
  const cancel = useCancelTask(task.id, {
    onSuccess: () => {
      setCancelledRunId(task.last_run?.id ?? null);
      pushToast('Cancelling the run…', 'info');
    },
  });

  const testState = testAllState(task.status, readiness, isTesting || test.isPending);
  const runNow = runState(task.status, readiness, isTesting);
  const cancelNow = cancelState(task.status, cancelledRunId !== null && cancelledRunId === task.last_run?.id);

  return (
    <div className="task-actions">
      <div className="action">
        <Button
          onClick={() => test.mutate()}
          disabled={!testState.allowed}
          isLoading={test.isPending || isTesting}
          aria-describedby={testState.allowed ? undefined : 'test-all-reason'}
          data-testid="test-all-button"
        >
          Test all logins
        </Button>
        <Reason id="test-all-reason" state={testState} />
      </div>
      <div className="action">
        <Button
          variant="primary"
          onClick={() => run.mutate()}
          disabled={!runNow.allowed}
          isLoading={run.isPending}
          aria-describedby={runNow.allowed ? undefined : 'run-reason'}
          data-testid="run-button"
        >
          Run now
        </Button>
        <Reason id="run-reason" state={runNow} />
      </div>
      <div className="action">
        <Button
          variant="danger"
          onClick={() => cancel.mutate()}
          disabled={!cancelNow.allowed}
          isLoading={cancel.isPending}
          aria-describedby={cancelNow.allowed ? undefined : 'cancel-reason'}
          data-testid="cancel-button"
        >
          Cancel run
        </Button>
        <Reason id="cancel-reason" state={cancelNow} />
      </div>
    </div>
  );
}
