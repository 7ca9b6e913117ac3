import { Button } from '@/components/ui/button';
import { ApiError } from '@/lib/api-client';
import { pushToast } from '@/lib/notifications';
import { useRetryFailed } from '@/features/runs/api/retry-failed';

type LastRun = { id: number; status: string; finished_at: string | null; total_errors: number };

/**
 * "Retry failed accounts": a manual run over the accounts of the last run that did not end done
 * without errors. Shown once that run has finished with a failure or errors.
 */
export function RetryFailedButton({ taskId, lastRun, running }: { taskId: number; lastRun: LastRun | null; running: boolean }) {
  const retry = useRetryFailed(taskId, { onSuccess: () => pushToast('Retrying the failed accounts') });
  if (!lastRun || lastRun.finished_at === null || running) return null;
  if (lastRun.status === 'done' && lastRun.total_errors === 0) return null;
  return (
    <div className="action">
      <Button
        onClick={() =>
          retry.isPending
            ? undefined
            : retry.mutate(lastRun.id, {
                onError: (error) =>
                  pushToast(error instanceof ApiError ? error.message : 'The retry did not start', 'info'),
              })
        }
        aria-busy={retry.isPending || undefined}
        data-testid="retry-failed-button"
      >
        Retry failed accounts
      </Button>
    </div>
  );
}
