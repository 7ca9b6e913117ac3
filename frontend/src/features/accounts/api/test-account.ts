import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

/** Queue a login test of one account on both sides; the result arrives as an account_test event. */
export const testAccount = (accountId: number) => api.post(`/accounts/${accountId}/test`);

export function useTestAccount(taskId: number, { onSuccess }: { onSuccess?: (accountId: number) => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: testAccount,
    onSuccess: (_data, accountId) => {
      onSuccess?.(accountId);
      void client.invalidateQueries({ queryKey: queryKeys.accounts(taskId) });
    },
  });
}
