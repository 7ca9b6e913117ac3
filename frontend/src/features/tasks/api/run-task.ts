import { useMutation, useQueryClient } from '@tanstack/react-query';
import { zRunStarted } from '@/client/zod.gen';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export const runTask = (taskId: number) => api.post(`/tasks/${taskId}/run`, undefined, zRunStarted);

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
