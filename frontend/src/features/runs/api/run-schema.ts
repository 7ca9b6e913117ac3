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
});

export type MessageError = z.infer<typeof messageErrorSchema>;

/** Per source folder; only the fields the run log shows (the API sends more). */
export const folderResultSchema = z.object({
  folder: z.string(),
  dst_folder: z.string().nullish(),
  note: z.string().nullish(),
  altered: z.number().nullish(),
});

export const warningSchema = z.object({
  kind: z.string(),
  folder: z.string().nullish(),
  count: z.number().nullish(),
  message: z.string(),
});

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
  folders: z.array(folderResultSchema).nullish().transform((v) => v ?? []),
  warnings: z.array(warningSchema).nullish().transform((v) => v ?? []),
  started_at: z.string().nullish().transform((v) => v ?? null),
  finished_at: z.string().nullish().transform((v) => v ?? null),
});

export type AccountRun = z.infer<typeof accountRunSchema>;

export const runDetailSchema = z.object({ run: runSchema, accounts: z.array(accountRunSchema) });

export type RunDetail = z.infer<typeof runDetailSchema>;

export const isTerminalRunStatus = (status: string): boolean => status !== 'running' && status !== 'pending';
