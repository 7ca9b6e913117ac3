import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { accountSchema, type Account, type AccountInput } from '@/features/accounts/api/account-schema';

/** Empty passwords are left out: an OAuth2 side needs none, a password side gets the server's 422. */
export const createAccount = (taskId: number, input: AccountInput) =>
  api.post(
    `/tasks/${taskId}/accounts`,
    Object.fromEntries(Object.entries(input).filter(([name, value]) => !name.endsWith('_password') || value !== '')),
    accountSchema,
  );

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
