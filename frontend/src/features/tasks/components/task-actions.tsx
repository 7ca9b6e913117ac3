import { useState, type ComponentProps, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { pushToast } from '@/lib/notifications';
import { useKeepFocus } from '@/lib/use-keep-focus';
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

/** A button that is disabled, with its reason written under it, when its action is not allowed. */
function GuardedAction({
  focusKey,
  state,
  onClick,
  isLoading,
  testId,
  reasonId,
  variant,
  children,
}: {
  focusKey: string;
  state: ActionState;
  onClick: () => void;
  isLoading: boolean;
  testId: string;
  reasonId: string;
  variant?: ComponentProps<typeof Button>['variant'];
  children: ReactNode;
}) {
  // Busy or not allowed (a run it started is in progress), it stays focusable: the keyboard user
  // keeps their place and hears the reason it is off.
  const { ref, onPress, onBlur } = useKeepFocus(focusKey);
  return (
    <div className="action">
      <Button
        requires="operator"
        ref={ref}
        keepsFocus
        variant={variant}
        onClick={() => {
          onPress();
          onClick();
        }}
        onBlur={onBlur}
        disabled={!state.allowed}
        isLoading={isLoading}
        aria-describedby={state.allowed ? undefined : reasonId}
        data-testid={testId}
      >
        {children}
      </Button>
      <Reason id={reasonId} state={state} />
    </div>
  );
}

/** Test all, Run and Cancel, each disabled with the reason written next to it. */
export function TaskActions({ task, readiness, isTesting, onTestStarted }: Props) {
  const test = useTestTask(task.id, { onSuccess: onTestStarted });
  const run = useRunTask(task.id, { onSuccess: () => pushToast('Run started') });
  // Remember which run was asked to stop: it keeps running until its jobs finish their batch.
  const [cancelledRunId, setCancelledRunId] = useState<number | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
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
      <GuardedAction
        state={testState}
        onClick={() => test.mutate()}
        isLoading={test.isPending || isTesting}
        testId="test-all-button"
        focusKey={`${task.id}:test-all-button`}
        reasonId="test-all-reason"
      >
        Test all logins
      </GuardedAction>
      <GuardedAction
        variant="primary"
        state={runNow}
        onClick={() => run.mutate()}
        isLoading={run.isPending}
        testId="run-button"
        focusKey={`${task.id}:run-button`}
        reasonId="run-reason"
      >
        Run now
      </GuardedAction>
      <GuardedAction
        variant="danger"
        state={cancelNow}
        onClick={() => setConfirmCancel(true)}
        isLoading={cancel.isPending}
        testId="cancel-button"
        focusKey={`${task.id}:cancel-button`}
        reasonId="cancel-reason"
      >
        Cancel run
      </GuardedAction>
      {/* Asks first: a cancel stops every account of the run after its current batch. */}
      <ConfirmDialog
        open={confirmCancel}
        title="Cancel the run?"
        confirmLabel="Cancel the run"
        isPending={cancel.isPending}
        dismissLabel="Keep running"
        onConfirm={() => cancel.mutate(undefined, { onSettled: () => setConfirmCancel(false) })}
        onClose={() => setConfirmCancel(false)}
      >
        <p>
          Every account of run #{task.last_run?.id ?? '?'} stops after the batch it is copying. What was copied stays
          copied; the next run copies what is left.
        </p>
      </ConfirmDialog>
    </div>
  );
}
