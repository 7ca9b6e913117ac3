import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

const runStartedSchema = z.object({ run_id: z.number() });

export type BulkAction = 'test' | 'pause' | 'resume' | 'delete';

/** One request per account, a few at a time, so 500 selected accounts do not flood the server. */
async function eachAccount(ids: readonly number[], call: (id: number) => Promise<unknown>): Promise<number[]> {
  const failed: number[] = [];
  const queue = [...ids];
  const lane = (): Promise<void> => {
    const id = queue.shift();
    if (id === undefined) return Promise.resolve();
    return call(id)
      .catch(() => {
        failed.push(id);
      })
      .then(lane);
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  return failed;
}

const actions: Record<BulkAction, (id: number) => Promise<unknown>> = {
  test: (id) => api.post(`/accounts/${id}/test`),
  pause: (id) => api.patch(`/accounts/${id}`, { enabled: false }),
  resume: (id) => api.patch(`/accounts/${id}`, { enabled: true }),
  delete: (id) => api.delete(`/accounts/${id}`),
};

/** Test, pause, resume or delete the selected accounts; resolves to the ids the server refused. */
export function useBulkAccounts(taskId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ action, ids }: { action: BulkAction; ids: readonly number[] }) => eachAccount(ids, actions[action]),
    onSettled: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.accounts(taskId) }),
        client.invalidateQueries({ queryKey: queryKeys.tasks }),
      ]);
    },
  });
}

export const runSelected = (taskId: number, accountIds: readonly number[]) =>
  api.post(`/tasks/${taskId}/run`, { account_ids: accountIds }, runStartedSchema);

/** Start a manual run over the selected accounts. */
export function useRunSelected(taskId: number, { onSuccess }: { onSuccess?: (runId: number) => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (accountIds: readonly number[]) => runSelected(taskId, accountIds),
    onSuccess: async ({ run_id }) => {
      onSuccess?.(run_id);
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.tasks }),
        client.invalidateQueries({ queryKey: queryKeys.taskRuns(taskId) }),
      ]);
    },
  });
}
