import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

const runStartedSchema = z.object({ run_id: z.number() });

export const retryFailed = (runId: number) => api.post(`/runs/${runId}/retry-failed`, undefined, runStartedSchema);

/** A manual run over the accounts of a run that did not end done without errors. */
export function useRetryFailed(taskId: number, { onSuccess }: { onSuccess?: (runId: number) => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: retryFailed,
    onSuccess: async ({ run_id }) => {
      onSuccess?.(run_id);
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.tasks }),
        client.invalidateQueries({ queryKey: queryKeys.taskRuns(taskId) }),
      ]);
    },
  });
}
