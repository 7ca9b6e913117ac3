import { queryOptions, useQuery } from '@tanstack/react-query';
import { zTaskDetail } from '@/client/zod.gen';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

// GET /tasks/{id} also carries the accounts; the accounts feature reads those
// from its own endpoint, so only the task is taken here.
const taskDetailSchema = zTaskDetail.transform((body) => body.task);

export const getTask = (taskId: number, signal?: AbortSignal) => api.get(`/tasks/${taskId}`, taskDetailSchema, signal);

export const getTaskQueryOptions = (taskId: number) =>
  queryOptions({ queryKey: queryKeys.task(taskId), queryFn: ({ signal }) => getTask(taskId, signal) });

export const useTask = (taskId: number, { pollMs, enabled = true }: { pollMs?: number | false; enabled?: boolean } = {}) =>
  useQuery({ ...getTaskQueryOptions(taskId), refetchInterval: pollMs ?? false, enabled });
