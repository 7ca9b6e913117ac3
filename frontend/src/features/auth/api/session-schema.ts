import { z } from 'zod';

import { roleSchema } from '@/lib/role';

export const userSchema = z.object({ id: z.number(), username: z.string(), role: roleSchema });

export const sessionSchema = z.object({
  csrf_token: z.string(),
  user: userSchema,
});

/** GET /auth/me: a 401 means logged out; so does a 200 with `user: null`, if the API answers that way. */
export const meSchema = z.union([sessionSchema, z.object({ user: z.null() }).transform(() => null)]);

export type User = z.infer<typeof userSchema>;
export type Session = z.infer<typeof sessionSchema>;
