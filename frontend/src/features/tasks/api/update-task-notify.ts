import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { ScheduleWindow } from '@/features/tasks/api/task-schema';

export type TaskNotifyInput = { schedule_window: ScheduleWindow | null; notify_emails: string[] };

/** PATCH the task's window and extra recipients (the window moves the next start; `broken` stays). */
export const updateTaskNotify = (taskId: number, input: TaskNotifyInput) => api.patch(`/tasks/${taskId}`, input);

export function useUpdateTaskNotify(taskId: number, { onSuccess }: { onSuccess?: () => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: TaskNotifyInput) => updateTaskNotify(taskId, input),
    onSuccess: async () => {
      onSuccess?.();
      await client.invalidateQueries({ queryKey: queryKeys.tasks });
    },
  });
}
