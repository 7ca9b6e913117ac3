import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { runDetailSchema } from '@/features/runs/api/run-schema';

/** One run with its per-account results and message errors. */
export const getRun = (runId: number, signal?: AbortSignal) => api.get(`/runs/${runId}`, runDetailSchema, signal);

export const getRunQueryOptions = (runId: number) =>
  queryOptions({ queryKey: queryKeys.run(runId), queryFn: ({ signal }) => getRun(runId, signal) });

export const useRun = (runId: number | null, { pollMs }: { pollMs?: number | false } = {}) =>
  useQuery({
    ...getRunQueryOptions(runId ?? 0),
    enabled: runId !== null,
    refetchInterval: pollMs ?? false,
  });
