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

// Minimal valid payloads, as the API's event models describe them.
const payloads: Record<string, object> = {
  run_done: { status: 'done', trigger: 'manual', total_copied: 1, total_skipped: 0, total_errors: 0, total_bytes: 10 },
  task_broken: { errors: 2, reason: 'a scheduled run ended with errors' },
  account_test: { test_src_status: 'ok', test_src_error: null, test_dst_status: 'fail', test_dst_error: 'bad password' },
  progress: { copied: 0, skipped: 0, errors: 0, bytes: 0, folder: null, done: 0, total: 0, account: null, waiting: 'throttled' },
};

const event = (type: string, extra: object = {}) =>
  taskEventSchema.parse({
    type,
    task_id: 1,
    run_id: 42,
    account_id: null,
    data: payloads[type],
    ts: '2025-11-28T12:00:00Z',
    ...extra,
  });

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
    // An event whose payload does not match its type's model is not an event either.
    expect(taskEventSchema.safeParse({ type: 'progress', task_id: 1, data: { copied: 'many' }, ts: '2025-11-28T12:00:00Z' }).success).toBe(false);
    expect(taskEventSchema.safeParse({ type: 'run_done', task_id: 1, data: payloads.progress, ts: '2025-11-28T12:00:00Z' }).success).toBe(false);
  });
});
