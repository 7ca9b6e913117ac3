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
  src_refresh_token_set: z.boolean().optional(),
  dst_refresh_token_set: z.boolean().optional(),
  test_src_status: z.enum(testStatuses),
  test_src_error: z.string().nullish().transform((v) => v ?? null),
  test_dst_status: z.enum(testStatuses),
  test_dst_error: z.string().nullish().transform((v) => v ?? null),
  tested_at: z.string().nullish().transform((v) => v ?? null),
});

export type Account = z.infer<typeof accountSchema>;

const username = (side: string) => z.string().trim().min(1, `Enter the ${side} username`).max(320);

export const accountInputSchema = z.object({
  src_username: username('source'),
  /** Empty on a side whose server signs in with OAuth2 (the server says when one is required). */
  src_password: z.string(),
  dst_username: username('destination'),
  dst_password: z.string(),
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
