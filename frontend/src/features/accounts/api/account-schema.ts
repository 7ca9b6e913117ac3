import { z } from 'zod';
import type { AccountOut, TestStatus } from '@/client/types.gen';
import { zAccountOut } from '@/client/zod.gen';

// Responses: generated from the API's OpenAPI document (docs/frontend-client.md). Forms: below.
export type { TestStatus };
export const accountSchema = zAccountOut;
export type Account = AccountOut;

// Form input (hand-written: the messages are the UI's).
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
