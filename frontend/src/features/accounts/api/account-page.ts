import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { accountSchema } from '@/features/accounts/api/account-schema';

export const lastOutcomes = ['done', 'done_with_errors', 'failed', 'never'] as const;
export type LastOutcome = (typeof lastOutcomes)[number];

/** A row of the accounts list: the account, whether it takes part in runs, and how its last run ended. */
export const accountRowSchema = accountSchema.extend({
  enabled: z.boolean().default(true),
  last_outcome: z.enum(lastOutcomes).default('never'),
});
export type AccountRow = z.infer<typeof accountRowSchema>;

export type AccountFilter = {
  q: string;
  testStatus: '' | 'ok' | 'fail' | 'untested';
  lastOutcome: '' | LastOutcome;
};

export const PAGE_SIZE = 50;

export type AccountPage = { rows: AccountRow[]; total: number; nextCursor: string | null };

export function accountPageQuery(filter: AccountFilter, cursor: string | null, limit = PAGE_SIZE): string {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor) params.set('cursor', cursor);
  if (filter.q.trim()) params.set('q', filter.q.trim());
  if (filter.testStatus) params.set('test_status', filter.testStatus);
  if (filter.lastOutcome) params.set('last_outcome', filter.lastOutcome);
  return params.toString();
}

export async function getAccountPage(
  taskId: number,
  filter: AccountFilter,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<AccountPage> {
  let total = 0;
  let nextCursor: string | null = null;
  const rows = await apiRequest('GET', `/tasks/${taskId}/accounts?${accountPageQuery(filter, cursor)}`, {
    schema: z.array(accountRowSchema),
    signal,
    onHeaders: (headers) => {
      total = Number(headers.get('X-Total-Count') ?? 0);
      nextCursor = headers.get('X-Next-Cursor');
    },
  });
  return { rows, total, nextCursor };
}

/** One page of the task's accounts; under the accounts key, so every account change refreshes it. */
export const useAccountPage = (
  taskId: number,
  filter: AccountFilter,
  cursor: string | null,
  pollMs: number | false,
) =>
  useQuery({
    queryKey: [...queryKeys.accounts(taskId), 'page', filter, cursor],
    queryFn: ({ signal }) => getAccountPage(taskId, filter, cursor, signal),
    placeholderData: keepPreviousData,
    refetchInterval: pollMs,
  });
