import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export const cancelTask = (taskId: number) => api.post(`/tasks/${taskId}/cancel`);

export function useCancelTask(taskId: number, { onSuccess }: { onSuccess?: () => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => cancelTask(taskId),
    onSuccess: async () => {
      onSuccess?.();
      await client.invalidateQueries({ queryKey: queryKeys.tasks });
    },
  });
}
