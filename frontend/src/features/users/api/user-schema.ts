import { z } from 'zod';
import { roleSchema } from '@/lib/role';

export const userSchema = z.object({
  id: z.number(),
  username: z.string(),
  role: roleSchema,
  created_at: z.string(),
});

export const userInputSchema = z.object({
  username: z.string().trim().min(1, 'Enter a username').max(150).regex(/^\S+$/, 'No spaces'),
  password: z.string().min(8, 'At least 8 characters').max(500),
  role: roleSchema,
});

export type ManagedUser = z.infer<typeof userSchema>;
export type UserInput = z.infer<typeof userInputSchema>;
