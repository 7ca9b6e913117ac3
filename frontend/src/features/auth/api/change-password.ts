import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '@/lib/api-client';

export const passwordChangeSchema = z
  .object({
    current_password: z.string().min(1, 'Enter your current password'),
    new_password: z.string().min(8, 'At least 8 characters').max(500),
    repeat: z.string(),
  })
  .refine((v) => v.new_password === v.repeat, { message: 'The passwords differ', path: ['repeat'] });

export type PasswordChange = z.infer<typeof passwordChangeSchema>;

/** Your other browser sessions end; this one stays. */
export const changePassword = ({ current_password, new_password }: PasswordChange) =>
  api.post('/auth/password', { current_password, new_password });

export const useChangePassword = ({ onSuccess }: { onSuccess?: () => void } = {}) =>
  useMutation({ mutationFn: changePassword, onSuccess: () => onSuccess?.() });
