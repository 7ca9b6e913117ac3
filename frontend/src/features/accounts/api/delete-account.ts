import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export const deleteAccount = (accountId: number) => api.delete(`/accounts/${accountId}`);

export function useDeleteAccount(taskId: number, { onSuccess }: { onSuccess?: () => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: deleteAccount,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.accounts(taskId) });
      void client.invalidateQueries({ queryKey: queryKeys.task(taskId) });
      onSuccess?.();
    },
  });
}
