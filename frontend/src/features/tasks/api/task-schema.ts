import { z } from 'zod';

export const taskStatuses = ['idle', 'running', 'done', 'failed', 'cancelled'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export const runStatuses = ['running', 'done', 'failed', 'cancelled', 'abandoned'] as const;

/** The task's `last_run`: the run row without per-account detail. */
export const lastRunSchema = z.object({
  id: z.number(),
  status: z.enum(runStatuses),
  trigger: z.enum(['manual', 'scheduled']),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  total_copied: z.number(),
  total_skipped: z.number(),
  total_errors: z.number(),
  total_bytes: z.number(),
});

export type LastRun = z.infer<typeof lastRunSchema>;

export const taskSchema = z.object({
  id: z.number(),
  name: z.string(),
  src_endpoint_id: z.number(),
  dst_endpoint_id: z.number(),
  status: z.enum(taskStatuses),
  folder_mapping: z.record(z.string(), z.string()),
  exclude_folders: z.array(z.string()),
  schedule_interval_seconds: z.number(),
  broken: z.boolean(),
  next_run_at: z.string().nullable(),
  last_run: lastRunSchema.nullish().transform((run) => run ?? null),
  account_count: z.number().default(0),
  failing_count: z.number().default(0),
  paused_count: z.number().default(0),
  schedule_waiting_reason: z
    .string()
    .nullish()
    .transform((reason) => reason ?? null),
});

export type Task = z.infer<typeof taskSchema>;

export const taskInputSchema = z
  .object({
    name: z.string().trim().min(1, 'Give the task a name').max(200),
    src_endpoint_id: z.number({ error: 'Choose the source server' }).int().positive('Choose the source server'),
    dst_endpoint_id: z
      .number({ error: 'Choose the destination server' })
      .int()
      .positive('Choose the destination server'),
  });

export type TaskInput = z.infer<typeof taskInputSchema>;
export const taskFieldNames = ['name', 'src_endpoint_id', 'dst_endpoint_id'] as const;
