import { queryOptions, useQuery } from '@tanstack/react-query';
import type { PlanFolder, PlanOut } from '@/client/types.gen';
import { zPlanOut } from '@/client/zod.gen';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

// The response schema is generated from the API's OpenAPI document (docs/frontend-client.md).
export type { PlanFolder };
export type Plan = PlanOut;
const planSchema = zPlanOut;

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
