import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { accountSchema, type Account, type AccountUpdate } from '@/features/accounts/api/account-schema';

/** Only the passwords that were typed are sent; the others stay as stored. */
export function accountPatchBody(update: AccountUpdate): Record<string, string> {
  const body: Record<string, string> = { src_username: update.src_username, dst_username: update.dst_username };
  if (update.src_password) body.src_password = update.src_password;
  if (update.dst_password) body.dst_password = update.dst_password;
  return body;
}

export const updateAccount = (accountId: number, update: AccountUpdate) =>
  api.patch(`/accounts/${accountId}`, accountPatchBody(update), accountSchema);

export function useUpdateAccount(taskId: number, { onSuccess }: { onSuccess?: (account: Account) => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ accountId, update }: { accountId: number; update: AccountUpdate }) =>
      updateAccount(accountId, update),
    onSuccess: (account) => {
      void client.invalidateQueries({ queryKey: queryKeys.accounts(taskId) });
      onSuccess?.(account);
    },
  });
}
