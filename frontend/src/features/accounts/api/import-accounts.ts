import { useMutation, useQueryClient } from '@tanstack/react-query';
import { zImportOut } from '@/client/zod.gen';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

/** The CSV goes up exactly as pasted, so the server's "line N" errors match the admin's lines. */
export const importAccounts = (taskId: number, csv: string) =>
  apiRequest('POST', `/tasks/${taskId}/accounts/import`, {
    text: { content: csv, contentType: 'text/csv' },
    schema: zImportOut,
  });

export function useImportAccounts(taskId: number, { onSuccess }: { onSuccess?: (imported: number) => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (csv: string) => importAccounts(taskId, csv),
    onSuccess: ({ imported }) => {
      void client.invalidateQueries({ queryKey: queryKeys.accounts(taskId) });
      void client.invalidateQueries({ queryKey: queryKeys.task(taskId) });
      onSuccess?.(imported);
    },
  });
}
