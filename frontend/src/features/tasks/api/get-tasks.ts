import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { listResponse } from '@/lib/list-response';
import { queryKeys } from '@/lib/query-keys';
import { taskSchema } from '@/features/tasks/api/task-schema';

export const getTasks = (signal?: AbortSignal) => api.get('/tasks', listResponse(taskSchema, 'tasks'), signal);

export const getTasksQueryOptions = () =>
  queryOptions({ queryKey: [...queryKeys.tasks, 'list'], queryFn: ({ signal }) => getTasks(signal) });

/** `pollMs` is the fallback while the live socket is down. */
export const useTasks = ({ pollMs }: { pollMs?: number | false } = {}) =>
  useQuery({ ...getTasksQueryOptions(), refetchInterval: pollMs ?? false });
