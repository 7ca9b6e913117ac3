import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, apiRequest, setCsrfToken } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { meSchema, type Session } from '@/features/auth/api/session-schema';

/** The current session, or null when logged out (401). */
export async function getMe(): Promise<Session | null> {
  try {
    const session = await apiRequest('GET', '/auth/me', { schema: meSchema, expectUnauthorized: true });
    setCsrfToken(session?.csrf_token ?? null);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export const getMeQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.me, queryFn: getMe, staleTime: Infinity });

export const useMe = () => useQuery(getMeQueryOptions());
