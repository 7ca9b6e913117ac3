import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { taskSchema, type Task, type TaskInput } from '@/features/tasks/api/task-schema';

export const createTask = (input: TaskInput) => api.post('/tasks', input, taskSchema);

export function useCreateTask({ onSuccess }: { onSuccess?: (task: Task) => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: createTask,
    onSuccess: (task) => {
      void client.invalidateQueries({ queryKey: queryKeys.tasks });
      onSuccess?.(task);
    },
  });
}
