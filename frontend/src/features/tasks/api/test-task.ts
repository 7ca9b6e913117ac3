import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

/** Queue a login test of every account on both sides; results arrive as account_test events. */
export const testTask = (taskId: number) => api.post(`/tasks/${taskId}/test`);

export function useTestTask(taskId: number, { onSuccess }: { onSuccess?: () => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => testTask(taskId),
    onSuccess: () => {
      onSuccess?.();
      void client.invalidateQueries({ queryKey: queryKeys.accounts(taskId) });
    },
  });
}
