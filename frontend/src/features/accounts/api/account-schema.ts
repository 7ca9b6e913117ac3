import { z } from 'zod';

export const testStatuses = ['untested', 'ok', 'fail'] as const;
export type TestStatus = (typeof testStatuses)[number];

export const accountSchema = z.object({
  id: z.number(),
  task_id: z.number(),
  src_username: z.string(),
  src_password_set: z.boolean(),
  dst_username: z.string(),
  dst_password_set: z.boolean(),
  test_src_status: z.enum(testStatuses),
  test_src_error: z.string().nullish().transform((v) => v ?? null),
  test_dst_status: z.enum(testStatuses),
  test_dst_error: z.string().nullish().transform((v) => v ?? null),
  /** The destination's storage quota against the source's size, from the last test; null: no limit. */
  test_dst_quota: z
    .object({ limit_bytes: z.number(), free_bytes: z.number(), warning: z.string().nullish() })
    .nullish()
    .transform((v) => v ?? null),
  tested_at: z.string().nullish().transform((v) => v ?? null),
});

export type Account = z.infer<typeof accountSchema>;

const username = (side: string) => z.string().trim().min(1, `Enter the ${side} username`).max(320);

export const accountInputSchema = z.object({
  src_username: username('source'),
  src_password: z.string().min(1, 'Enter the source password'),
  dst_username: username('destination'),
  dst_password: z.string().min(1, 'Enter the destination password'),
});

export type AccountInput = z.infer<typeof accountInputSchema>;

/** Editing: an empty password means "keep the stored one". */
export const accountUpdateSchema = z.object({
  src_username: username('source'),
  src_password: z.string(),
  dst_username: username('destination'),
  dst_password: z.string(),
});

export type AccountUpdate = z.infer<typeof accountUpdateSchema>;
export const accountFieldNames = ['src_username', 'src_password', 'dst_username', 'dst_password'] as const;
