import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { Toasts } from '@/components/ui/toasts';
import { setUnauthorizedHandler } from '@/lib/api-client';
import { showErrorBanner } from '@/lib/notifications';
import { queryKeys } from '@/lib/query-keys';
import { createQueryClient } from '@/lib/react-query';
import { taskSocket } from '@/lib/task-socket';

export function AppProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);

  useEffect(() => {
    // Any 401 means the session is gone: forget it, and the route guard shows
    // the login screen (keeping the page to come back to).
    setUnauthorizedHandler(() => {
      if (queryClient.getQueryData(queryKeys.me) === null) return;
      taskSocket.close();
      queryClient.setQueryData(queryKeys.me, null);
      showErrorBanner({ message: 'Your session has ended. Sign in again.', status: 401, code: 'unauthorized' });
    });
    return () => setUnauthorizedHandler(null);
  }, [queryClient]);

  return (
    <QueryClientProvider client={queryClient}>
      {children}
      <Toasts />
    </QueryClientProvider>
  );
}
