import { z } from 'zod';
import type { RunSummary, TaskOut, TaskStatus } from '@/client/types.gen';
import { zTaskOut } from '@/client/zod.gen';

// Responses: generated from the API's OpenAPI document (docs/frontend-client.md). Forms: below.
export type { TaskStatus };
/** The task's `last_run`: the run row without per-account detail. */
export type LastRun = RunSummary;
export const taskSchema = zTaskOut;
export type Task = TaskOut;

/** Scheduled runs start only inside [start, end) in `tz`; end before start crosses midnight. */
export type ScheduleWindow = NonNullable<TaskOut['schedule_window']>;

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
