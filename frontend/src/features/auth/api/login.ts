import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest, setCsrfToken } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { sessionSchema, type Session } from '@/features/auth/api/session-schema';

export const loginInputSchema = z.object({
  username: z.string().trim().min(1, 'Enter your username'),
  password: z.string().min(1, 'Enter your password'),
});

export type LoginInput = z.infer<typeof loginInputSchema>;

export async function login(input: LoginInput): Promise<Session> {
  // A 401 here is "wrong credentials", not an expired session.
  return apiRequest('POST', '/auth/login', { body: input, schema: sessionSchema, expectUnauthorized: true });
}

export function useLogin({ onSuccess }: { onSuccess?: (session: Session) => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: login,
    meta: { bannerOn401: true },
    onSuccess: (session) => {
      setCsrfToken(session.csrf_token);
      client.setQueryData(queryKeys.me, session);
      onSuccess?.(session);
    },
  });
}
