import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { listResponse } from '@/lib/list-response';
import { queryKeys } from '@/lib/query-keys';
import { runSchema } from '@/features/runs/api/run-schema';

/** The task's runs, newest first. */
export const getRuns = (taskId: number, signal?: AbortSignal) =>
  api.get(`/tasks/${taskId}/runs`, listResponse(runSchema, 'runs'), signal);

export const getRunsQueryOptions = (taskId: number) =>
  queryOptions({ queryKey: queryKeys.taskRuns(taskId), queryFn: ({ signal }) => getRuns(taskId, signal) });

export const useRuns = (taskId: number, { pollMs }: { pollMs?: number | false } = {}) =>
  useQuery({ ...getRunsQueryOptions(taskId), refetchInterval: pollMs ?? false });
