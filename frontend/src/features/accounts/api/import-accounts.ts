import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ImportOut } from '@/client/types.gen';
import { zImportOut } from '@/client/zod.gen';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export type ImportResult = ImportOut;

/** The CSV goes up exactly as pasted, so the server's "line N" errors match the admin's lines.
 * `upsert`: a line whose source user is already in the task updates that account. */
export const importAccounts = (taskId: number, csv: string, upsert = false) =>
  apiRequest('POST', `/tasks/${taskId}/accounts/import${upsert ? '?mode=upsert' : ''}`, {
    text: { content: csv, contentType: 'text/csv' },
    schema: zImportOut,
  });

export function useImportAccounts(taskId: number, { onSuccess }: { onSuccess?: (result: ImportResult) => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ csv, upsert }: { csv: string; upsert: boolean }) => importAccounts(taskId, csv, upsert),
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: queryKeys.accounts(taskId) });
      void client.invalidateQueries({ queryKey: queryKeys.task(taskId) });
      void client.invalidateQueries({ queryKey: queryKeys.tasks });
      onSuccess?.(result);
    },
  });
}
