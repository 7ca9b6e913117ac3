import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '@/lib/api-client';
import { clearErrorBanner, showErrorBanner } from '@/lib/notifications';

function toBannerError(error: unknown) {
  if (error instanceof ApiError) return { message: error.message, status: error.status, code: error.code };
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  return { message, status: 0, code: 'client_error' };
}

function shouldRetry(failureCount: number, error: unknown): boolean {
  // 4xx answers will not change by asking again; network blips might.
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

/**
 * The single error interceptor: every failed mutation lands in the error banner
 * (401s are routed to the login screen by the API client). Failed queries are
 * shown by the list or page that asked for them.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache(),
    mutationCache: new MutationCache({
      onMutate: () => clearErrorBanner(),
      onError: (error, _variables, _context, mutation) => {
        // A 401 means the session ended and the login screen takes over; the
        // login form itself opts in to show "wrong password" in the banner.
        const isExpiry = error instanceof ApiError && error.status === 401;
        if (isExpiry && mutation.meta?.bannerOn401 !== true) return;
        showErrorBanner(toBannerError(error));
      },
    }),
    defaultOptions: {
      queries: { staleTime: 5_000, retry: shouldRetry },
      mutations: { retry: false },
    },
  });
}

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: { bannerOn401?: boolean };
  }
}
