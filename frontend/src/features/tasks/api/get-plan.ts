import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export const planFolderSchema = z.object({
  source: z.string(),
  /** Null for an excluded folder. */
  destination: z.string().nullable(),
  messages: z.number().nullish(),
  bytes: z.number().nullish(),
  pending: z.number().nullish(),
  excluded: z.boolean(),
  special_use: z.union([z.boolean(), z.string()]).nullish(),
  /** Why it maps there: explicit | special-use | inbox | translated | excluded. */
  reason: z.string().nullish(),
  destination_exists: z.boolean().nullish(),
  /** Why the destination name differs from the automatic one (say, two folders that would merge). */
  note: z.string().nullish(),
});

export type PlanFolder = z.infer<typeof planFolderSchema>;

/** The destination's storage quota against what the source would add; null without a limit. */
export const planQuotaSchema = z.object({
  limit_bytes: z.number(),
  used_bytes: z.number(),
  free_bytes: z.number(),
  needed_bytes: z.number().nullish(),
  warning: z.string().nullish(),
});

const planSchema = z.object({
  account_id: z.number().nullish(),
  folders: z.array(planFolderSchema),
  quota: planQuotaSchema.nullish(),
});

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
