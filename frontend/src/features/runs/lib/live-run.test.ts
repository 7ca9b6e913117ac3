import { describe, expect, it } from 'vitest';
import type { TaskEvent } from '@/lib/task-events';
import { emptyLiveRun, mergeSnapshot, reduceLiveRun, runTotals, type LiveRun } from '@/features/runs/lib/live-run';

let second = 0;
function ev(type: TaskEvent['type'], data: Record<string, unknown> = {}, accountId: number | null = 7): TaskEvent {
  second += 1;
  const ts = new Date(Date.UTC(2025, 10, 28, 12, 0, second)).toISOString();
  return { type, task_id: 1, run_id: 42, account_id: accountId, data, ts };
}

const fold = (events: TaskEvent[], start: LiveRun = emptyLiveRun(42)) => events.reduce(reduceLiveRun, start);

// Payloads as the workers publish them (workers/account_progress.py, workers/account_job.py).
const plan = ev('plan', {
  kind: 'plan',
  folders: [
    { src: 'INBOX', dst: 'INBOX', messages: 100, size: 1000, pending: 60 },
    { src: 'Sent', dst: 'Sent', messages: 40, size: 500, pending: null },
  ],
  excluded: [],
});

describe('reduceLiveRun', () => {
  it('follows one account from plan to done', () => {
    second = 0;
    const run = fold([
      ev('run_started', { trigger: 'manual', accounts: 2 }, null),
      plan,
      ev('account_started', { attempt_base: 0 }),
      ev('folder', { folder: 'INBOX', dst_folder: 'INBOX', state: 'started' }),
      ev('progress', {
        folder: 'INBOX',
        copied: 10,
        skipped: 5,
        errors: 0,
        bytes: 300,
        done: 15,
        total: 60,
        account: { copied: 10, skipped: 5, errors: 0, bytes: 300 },
      }),
    ]);
    const a = run.accounts[7]!;
    expect(run.status).toBe('running');
    expect(run.startedAt).toBe('2025-11-28T12:00:01.000Z');
    expect(run.trigger).toBe('manual');
    // One of the two accounts has not reported yet: no total plan, and 0 of 2 done.
    expect(runTotals(run)).toMatchObject({ accountsTotal: 2, accountsDone: 0, planComplete: false });
    expect(a).toMatchObject({
      status: 'running',
      folder: 'INBOX',
      copied: 10,
      skipped: 5,
      bytes: 300,
      plannedMessages: 100,
      plannedBytes: 1500,
    });

    const later = fold(
      [
        ev('progress', { folder: 'INBOX', copied: 40, account: { copied: 40, skipped: 5, errors: 1, bytes: 900 } }),
        ev('error', { code: 'refused', reason: 'message too big', folder: 'INBOX', uid: 17 }),
        ev('folder', { folder: 'INBOX', state: 'done', account: { copied: 55, skipped: 5, errors: 1, bytes: 1000 } }),
        ev('account_done', { status: 'partial', copied: 94, skipped: 5, errors: 1, bytes: 1490, error_summary: '1 errors' }),
      ],
      run,
    );
    const done = later.accounts[7]!;
    expect(done).toMatchObject({ status: 'partial', copied: 94, errors: 1, folder: null, rate: null });
    expect(done.errorSummary).toBe('1 errors');
    expect(done.recentErrors).toEqual([{ folder: 'INBOX', uid: '17', reason: 'message too big' }]);
  });

  it('has no total rate until a running account has one', () => {
    const started = fold([ev('run_started', { accounts: 1 }, null), ev('account_started', {})]);
    expect(runTotals(started).rate).toBeNull();
  });

  it('derives a rate from event timestamps when none is sent', () => {
    second = 0;
    const run = fold([
      ev('progress', { account: { copied: 0, skipped: 0, errors: 0, bytes: 0 } }),
      ev('progress', { account: { copied: 10, skipped: 0, errors: 0, bytes: 0 } }),
      ev('progress', { account: { copied: 30, skipped: 0, errors: 0, bytes: 0 } }),
    ]);
    // 10 msg/s, then 20 msg/s, smoothed half and half.
    expect(run.accounts[7]?.rate).toBe(15);
  });

  it('reads the flat contract payload too (totals, plan and rate on the event)', () => {
    const run = fold([
      ev('progress', {
        account_id: 9,
        folder: 'Archive',
        copied: 3,
        skipped: 1,
        errors: 0,
        bytes: 40,
        planned_messages: 8,
        planned_bytes: 80,
        rate_msgs_per_s: 2.5,
      }, null),
    ]);
    expect(run.accounts[9]).toMatchObject({ copied: 3, plannedMessages: 8, plannedBytes: 80, rate: 2.5, folder: 'Archive' });
  });

  it('never moves counters back on a late event, nor reopens a finished account', () => {
    const run = fold([
      ev('account_done', { status: 'ok', copied: 50, skipped: 0, errors: 0, bytes: 10 }),
      ev('progress', { folder: 'INBOX', account: { copied: 20, skipped: 0, errors: 0, bytes: 5 } }),
    ]);
    expect(run.accounts[7]).toMatchObject({ status: 'ok', copied: 50, bytes: 10 });
  });

  it('shows why an account waits, until it moves again', () => {
    const waiting = fold([ev('progress', { waiting: 'endpoint connection limit reached' })]);
    expect(waiting.accounts[7]?.waiting).toBe('endpoint connection limit reached');
    const moving = fold([ev('progress', { account: { copied: 1, skipped: 0, errors: 0, bytes: 1 } })], waiting);
    expect(moving.accounts[7]?.waiting).toBeNull();
  });

  it('closes the run and every unfinished account on cancel', () => {
    const run = fold([
      ev('account_started', {}, 1),
      ev('account_done', { status: 'ok' }, 2),
      ev('cancelled', {}, null),
    ]);
    expect(run.status).toBe('cancelled');
    expect(run.accounts[1]?.status).toBe('cancelled');
    expect(run.accounts[2]?.status).toBe('ok');
    expect(fold([ev('run_done', { status: 'failed', total_errors: 3 }, null)]).status).toBe('failed');
  });
});

describe('mergeSnapshot (after a reload mid-run)', () => {
  const snapshot = {
    run: { id: 42, status: 'running', started_at: '2025-11-28T12:00:00Z', finished_at: null },
    accounts: [
      { account_id: 7, status: 'running', copied: 30, skipped: 2, errors: 0, bytes: 500, error_summary: null, planned_messages: 100, planned_bytes: 2000 },
      { account_id: 8, status: 'queued', copied: 0, skipped: 0, errors: 0, bytes: 0, error_summary: null },
    ],
  };

  it('shows the API totals before any event arrives', () => {
    const run = mergeSnapshot(undefined, snapshot)!;
    expect(run.status).toBe('running');
    expect(run.accounts[7]).toMatchObject({ copied: 30, plannedMessages: 100, status: 'running' });
    expect(runTotals(run)).toMatchObject({
      copied: 30,
      skipped: 2,
      accountsTotal: 2,
      accountsDone: 0,
      planComplete: false,
      bytesPlanComplete: false,
    });
  });

  it('shows the errors saved so far after a reload', () => {
    const saved = {
      ...snapshot,
      accounts: [
        {
          ...snapshot.accounts[0]!,
          errors: 1,
          errors_list: [{ folder: 'INBOX', uid: 7, reason: 'too big', side: 'dst', kind: 'size' }],
        },
      ],
    };
    const run = mergeSnapshot(undefined, saved)!;
    expect(run.accounts[7]?.recentErrors).toEqual([{ folder: 'INBOX', uid: '7', reason: 'too big', side: 'dst', kind: 'size' }]);
  });

  it('keeps the larger counters and the live folder and plan', () => {
    const live = fold([ev('progress', { folder: 'Sent', account: { copied: 45, skipped: 2, errors: 0, bytes: 800 } })]);
    const run = mergeSnapshot(live, snapshot)!;
    expect(run.accounts[7]).toMatchObject({ copied: 45, bytes: 800, folder: 'Sent', plannedMessages: 100 });
  });

  it('keeps an account running when the snapshot was read before it started', () => {
    const live = fold([ev('progress', { folder: 'INBOX', account: { copied: 5, skipped: 0, errors: 0, bytes: 10 } }, 8)]);
    const run = mergeSnapshot(live, snapshot)!;
    expect(run.accounts[8]).toMatchObject({ status: 'running', copied: 5, folder: 'INBOX' });
    expect(runTotals(run).accountsDone).toBe(0);
  });

  it('lets a finished snapshot close the run', () => {
    const live = fold([ev('progress', { folder: 'Sent', account: { copied: 45, skipped: 0, errors: 0, bytes: 1 } })]);
    const closed = {
      run: { ...snapshot.run, status: 'done', finished_at: '2025-11-28T12:05:00Z' },
      accounts: [{ ...snapshot.accounts[0]!, status: 'ok', copied: 98 }],
    };
    const run = mergeSnapshot(live, closed)!;
    expect(run.status).toBe('done');
    expect(run.finishedAt).toBe('2025-11-28T12:05:00Z');
    expect(run.accounts[7]).toMatchObject({ status: 'ok', copied: 98, folder: null, rate: null });
  });

  it('returns null with nothing to show', () => {
    expect(mergeSnapshot(undefined, undefined)).toBeNull();
  });
});
