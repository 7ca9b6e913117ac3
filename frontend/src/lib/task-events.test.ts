import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { queryKeys } from '@/lib/query-keys';
import { invalidateForEvent, taskEventSchema } from '@/lib/task-events';

function clientWithData() {
  const client = new QueryClient();
  const keys = [
    [...queryKeys.tasks, 'list'],
    queryKeys.task(1),
    queryKeys.accounts(1),
    queryKeys.taskRuns(1),
    queryKeys.run(42),
    queryKeys.plan(1),
  ];
  for (const key of keys) client.setQueryData(key, { any: 'thing' });
  const stale = () => keys.filter((key) => client.getQueryState(key)?.isInvalidated).map((key) => key.join('/'));
  return { client, stale };
}

const event = (type: string, extra: object = {}) =>
  taskEventSchema.parse({ type, task_id: 1, run_id: 42, data: {}, ts: '2025-11-28T12:00:00Z', ...extra });

describe('live events refresh the right queries', () => {
  it('run_done refreshes the tasks, the run list, the accounts and the run, not the slow plan', () => {
    const { client, stale } = clientWithData();
    invalidateForEvent(client, event('run_done'));
    expect(stale()).toEqual(['tasks/list', 'tasks/1', 'accounts/1', 'runs/task/1', 'runs/detail/42']);
  });

  it('task_broken refreshes the tasks (the broken badge)', () => {
    const { client, stale } = clientWithData();
    invalidateForEvent(client, event('task_broken'));
    expect(stale()).toContain('tasks/1');
  });

  it('account_test refreshes only the accounts', () => {
    const { client, stale } = clientWithData();
    invalidateForEvent(client, event('account_test', { run_id: null }));
    expect(stale()).toEqual(['accounts/1']);
  });

  it('progress changes nothing over HTTP', () => {
    const { client, stale } = clientWithData();
    invalidateForEvent(client, event('progress'));
    expect(stale()).toEqual([]);
  });

  it('rejects messages that are not events', () => {
    expect(taskEventSchema.safeParse({ type: 'nope', task_id: 1 }).success).toBe(false);
    expect(taskEventSchema.safeParse({ type: 'progress', task_id: 1 }).data?.data).toEqual({});
  });
});
