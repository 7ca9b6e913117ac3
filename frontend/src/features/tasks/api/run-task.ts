import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

const runStartedSchema = z.object({ run_id: z.number() });

export const runTask = (taskId: number) => api.post(`/tasks/${taskId}/run`, undefined, runStartedSchema);

export function useRunTask(taskId: number, { onSuccess }: { onSuccess?: (runId: number) => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => runTask(taskId),
    onSuccess: async ({ run_id }) => {
      onSuccess?.(run_id);
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.tasks }),
        client.invalidateQueries({ queryKey: queryKeys.taskRuns(taskId) }),
      ]);
    },
  });
}
