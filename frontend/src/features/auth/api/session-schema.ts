import { z } from 'zod';

export const userSchema = z.object({ id: z.number(), username: z.string() });

export const sessionSchema = z.object({
  csrf_token: z.string(),
  user: userSchema,
});

export type User = z.infer<typeof userSchema>;
export type Session = z.infer<typeof sessionSchema>;
