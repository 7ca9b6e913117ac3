import { z } from 'zod';

export const runStatuses = ['running', 'done', 'failed', 'cancelled', 'abandoned'] as const;
export type RunStatus = (typeof runStatuses)[number];

const count = z.number().nullish().transform((v) => v ?? 0);

export const runSchema = z.object({
  id: z.number(),
  task_id: z.number(),
  trigger: z.enum(['manual', 'scheduled']),
  status: z.enum(runStatuses),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  total_copied: count,
  total_skipped: count,
  total_errors: count,
  total_bytes: count,
  error_summary: z.string().nullish().transform((v) => v ?? null),
});

export type Run = z.infer<typeof runSchema>;

export const messageErrorSchema = z.object({
  folder: z.string().nullish(),
  uid: z.union([z.number(), z.string()]).nullish(),
  reason: z.string(),
  side: z.string().nullish(),
  kind: z.string().nullish(),
});

export type MessageError = z.infer<typeof messageErrorSchema>;

export const accountRunSchema = z.object({
  account_id: z.number(),
  src_username: z.string(),
  status: z.string(),
  copied: count,
  skipped: count,
  errors: count,
  bytes: count,
  planned_messages: z.number().nullish(),
  planned_bytes: z.number().nullish(),
  error_summary: z.string().nullish().transform((v) => v ?? null),
  errors_list: z.array(messageErrorSchema).nullish().transform((v) => v ?? []),
  started_at: z.string().nullish().transform((v) => v ?? null),
  finished_at: z.string().nullish().transform((v) => v ?? null),
});

export type AccountRun = z.infer<typeof accountRunSchema>;

export const runDetailSchema = z.object({ run: runSchema, accounts: z.array(accountRunSchema) });

export type RunDetail = z.infer<typeof runDetailSchema>;

export const isTerminalRunStatus = (status: string): boolean => status !== 'running' && status !== 'pending';
