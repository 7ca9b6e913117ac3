import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { accountSchema, type Account, type AccountInput } from '@/features/accounts/api/account-schema';

export const createAccount = (taskId: number, input: AccountInput) =>
  api.post(`/tasks/${taskId}/accounts`, input, accountSchema);

export function useCreateAccount(taskId: number, { onSuccess }: { onSuccess?: (account: Account) => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: AccountInput) => createAccount(taskId, input),
    onSuccess: (account) => {
      void client.invalidateQueries({ queryKey: queryKeys.accounts(taskId) });
      void client.invalidateQueries({ queryKey: queryKeys.task(taskId) });
      onSuccess?.(account);
    },
  });
}
