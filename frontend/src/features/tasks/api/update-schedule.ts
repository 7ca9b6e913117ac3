import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export const updateSchedule = ({ taskId, intervalSeconds }: { taskId: number; intervalSeconds: number }) =>
  api.put(`/tasks/${taskId}/schedule`, { interval_seconds: intervalSeconds });

/**
 * The mutation stays pending until the task is re-read, whether the server
 * accepted or refused the change, so the select always ends on the real state.
 */
export function useUpdateSchedule(taskId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (intervalSeconds: number) => updateSchedule({ taskId, intervalSeconds }),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.tasks }),
  });
}
