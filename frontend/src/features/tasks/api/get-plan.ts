import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export const planFolderSchema = z.object({
  source: z.string(),
  destination: z.string(),
  messages: z.number().nullish(),
  bytes: z.number().nullish(),
  excluded: z.boolean(),
  special_use: z.string().nullish(),
});

export type PlanFolder = z.infer<typeof planFolderSchema>;

const planSchema = z.object({ folders: z.array(planFolderSchema) });

/** A dry run against the servers: it can take a few seconds. */
export const getPlan = (taskId: number, signal?: AbortSignal) => api.get(`/tasks/${taskId}/plan`, planSchema, signal);

export const getPlanQueryOptions = (taskId: number) =>
  queryOptions({
    queryKey: queryKeys.plan(taskId),
    queryFn: ({ signal }) => getPlan(taskId, signal),
    staleTime: 60_000,
    retry: false,
  });

export const usePlan = (taskId: number, { enabled }: { enabled: boolean }) =>
  useQuery({ ...getPlanQueryOptions(taskId), enabled });
