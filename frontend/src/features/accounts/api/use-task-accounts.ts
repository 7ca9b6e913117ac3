import { useState } from 'react';
import { useNow } from '@/lib/use-now';
import { useAccounts } from '@/features/accounts/api/get-accounts';
import { startPendingTests, testingAccountIds, type PendingTests } from '@/features/accounts/lib/account-tests';

const TEST_POLL_MS = 2_000;

/**
 * The task's accounts, plus which of them have a login test in flight. While a
 * test runs the list is polled as well, in case its websocket event is missed.
 */
export function useTaskAccounts(taskId: number, { fallbackPollMs }: { fallbackPollMs: number | false }) {
  const [pending, setPending] = useState<PendingTests | null>(null);
  const now = useNow(5_000);
  const accounts = useAccounts(taskId, {
    refetchInterval: (data) =>
      testingAccountIds(pending, data, Date.now()).size > 0 ? TEST_POLL_MS : fallbackPollMs,
  });
  const testingIds = testingAccountIds(pending, accounts.data, now.getTime());

  const startTests = (accountIds?: number[]) => {
    const all = accounts.data ?? [];
    const chosen = accountIds ? all.filter((a) => accountIds.includes(a.id)) : all;
    setPending(startPendingTests(chosen, Date.now()));
  };

  return { accounts, testingIds, isTesting: testingIds.size > 0, startTests };
}
