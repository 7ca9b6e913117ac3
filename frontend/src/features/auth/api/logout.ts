import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest, setCsrfToken } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { taskSocket } from '@/lib/task-socket';

export async function logout(): Promise<void> {
  await apiRequest('POST', '/auth/logout', { expectUnauthorized: true });
}

export function useLogout({ onSuccess }: { onSuccess?: () => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: () => {
      // Whatever the server said, forget everything this session loaded.
      setCsrfToken(null);
      taskSocket.close();
      client.clear();
      client.setQueryData(queryKeys.me, null);
    },
    onSuccess: () => onSuccess?.(),
  });
}
