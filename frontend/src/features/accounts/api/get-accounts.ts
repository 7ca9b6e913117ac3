import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { listResponse } from '@/lib/list-response';
import { queryKeys } from '@/lib/query-keys';
import { accountRowSchema, type AccountRow as Account } from '@/features/accounts/api/account-page';

export const getAccounts = (taskId: number, signal?: AbortSignal) =>
  api.get(`/tasks/${taskId}/accounts`, listResponse(accountRowSchema, 'accounts'), signal);

export const getAccountsQueryOptions = (taskId: number) =>
  queryOptions({ queryKey: queryKeys.accounts(taskId), queryFn: ({ signal }) => getAccounts(taskId, signal) });

type Options = { refetchInterval?: (accounts: Account[] | undefined) => number | false };

export const useAccounts = (taskId: number, { refetchInterval }: Options = {}) =>
  useQuery({
    ...getAccountsQueryOptions(taskId),
    refetchInterval: refetchInterval ? (query) => refetchInterval(query.state.data) : false,
  });
