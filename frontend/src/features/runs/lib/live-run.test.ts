import { describe, expect, it } from 'vitest';
import type { AccountTotals, ProgressData } from '@/client/types.gen';
import type { TaskEvent } from '@/lib/task-events';
import {
  emptyAccount,
  emptyLiveRun,
  mergeSnapshot,
  reduceLiveRun,
  runEta,
  runTotals,
  type AccountProgress,
  type LiveRun,
  type RunSnapshot,
} from '@/features/runs/lib/live-run';

let second = 0;
type Data<T extends TaskEvent['type']> = Extract<TaskEvent, { type: T }>['data'];
function ev<T extends TaskEvent['type']>(type: T, data: Data<T>, accountId: number | null = 7): TaskEvent {
  second += 1;
  const ts = new Date(Date.UTC(2025, 10, 28, 12, 0, second)).toISOString();
  return { type, task_id: 1, run_id: 42, account_id: accountId, data, ts } as TaskEvent;
}

const fold = (events: TaskEvent[], start: LiveRun = emptyLiveRun(42)) => events.reduce(reduceLiveRun, start);

// Payloads as the workers publish them (workers/events.py, workers/jobs/progress.py).
const totals = (copied: number, skipped = 0, errors = 0, bytes = 0, pace: Partial<AccountTotals> = {}): AccountTotals => ({
  copied,
  skipped,
  errors,
  bytes,
  msgs_per_s: null,
  bytes_per_s: null,
  eta_seconds: null,
  ...pace,
});
const counts = { copied: 0, skipped: 0, errors: 0, bytes: 0 };
const progress = (account: AccountTotals, extra: Partial<ProgressData> = {}): ProgressData => ({
  ...counts,
  folder: 'INBOX',
  done: 0,
  total: 0,
  account,
  waiting: null,
  ...extra,
});
const folder = (name: string, state: 'started' | 'done', account: AccountTotals | null = null): Data<'folder'> => ({
  ...counts,
  folder: name,
  dst_folder: name,
  state,
  status: state === 'done' ? 'ok' : null,
  flags_updated: 0,
  seconds: 0,
  altered: 0,
  note: null,
  account,
});
const done = (status: Data<'account_done'>['status'], copied: number, extra: Partial<Data<'account_done'>> = {}) => ({
  ...counts,
  status,
  copied,
  error_summary: null,
  ...extra,
});
const runDone = (status: Data<'run_done'>['status'], totalErrors = 0): Data<'run_done'> => ({
  status,
  trigger: 'manual',
  total_copied: 0,
  total_skipped: 0,
  total_errors: totalErrors,
  total_bytes: 0,
});
const started = { src_username: 'a', dst_username: 'b', already_copied: 0 };

const plan = ev('plan', {
  folders: [
    { src: 'INBOX', dst: 'INBOX', reason: 'inbox', dst_exists: true, messages: 100, size: 1000, pending: 60, note: null },
    { src: 'Sent', dst: 'Sent', reason: 'special-use', dst_exists: true, messages: 40, size: 500, pending: null, note: null },
  ],
  excluded: [],
  quota: null,
  planned_messages: 100,
  planned_bytes: 1500,
});

describe('reduceLiveRun', () => {
  it('follows one account from plan to done', () => {
    second = 0;
    const run = fold([
      ev('run_started', { trigger: 'manual', accounts: 2 }, null),
      plan,
      ev('account_started', started),
      ev('folder', folder('INBOX', 'started')),
      ev('progress', progress(totals(10, 5, 0, 300), { copied: 10, skipped: 5, bytes: 300, done: 15, total: 60 })),
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
        ev('progress', progress(totals(40, 5, 1, 900), { copied: 40 })),
        ev('error', { code: 'refused', reason: 'message too big', folder: 'INBOX', uid: 17, side: 'dst', kind: 'size' }),
        ev('folder', folder('INBOX', 'done', totals(55, 5, 1, 1000))),
        ev('account_done', done('partial', 94, { skipped: 5, errors: 1, bytes: 1490, error_summary: '1 errors' })),
      ],
      run,
    );
    const finished = later.accounts[7]!;
    expect(finished).toMatchObject({ status: 'partial', copied: 94, errors: 1, folder: null, rate: null, etaSeconds: null });
    expect(finished.errorSummary).toBe('1 errors');
    expect(finished.recentErrors).toEqual([{ folder: 'INBOX', uid: '17', reason: 'message too big', side: 'dst', kind: 'size' }]);
  });

  it('has no total rate until a running account has one', () => {
    const run = fold([ev('run_started', { trigger: 'manual', accounts: 1 }, null), ev('account_started', started)]);
    expect(runTotals(run).rate).toBeNull();
  });

  it('shows the pace the worker computed (rates and time left), summed over running accounts', () => {
    const pace = { msgs_per_s: 2.5, bytes_per_s: 4096, eta_seconds: 120 };
    const run = fold([
      ev('progress', progress(totals(3, 1, 0, 40, pace), { folder: 'Archive' }), 9),
      ev('progress', progress(totals(1, 0, 0, 10, { msgs_per_s: 1.5, bytes_per_s: 1024 })), 8),
    ]);
    expect(run.accounts[9]).toMatchObject({ copied: 3, rate: 2.5, bytesRate: 4096, etaSeconds: 120, folder: 'Archive' });
    expect(runTotals(run)).toMatchObject({ rate: 4, bytesRate: 5120 });
  });

  it('never moves counters back on a late event, nor reopens a finished account', () => {
    const run = fold([
      ev('account_done', done('ok', 50, { bytes: 10 })),
      ev('progress', progress(totals(20, 0, 0, 5))),
    ]);
    expect(run.accounts[7]).toMatchObject({ status: 'ok', copied: 50, bytes: 10 });
  });

  it('shows why an account waits, until it moves again', () => {
    const waiting = fold([ev('progress', progress(totals(0), { folder: null, account: null, waiting: 'endpoint connection limit reached' }))]);
    expect(waiting.accounts[7]?.waiting).toBe('endpoint connection limit reached');
    const moving = fold([ev('progress', progress(totals(1, 0, 0, 1)))], waiting);
    expect(moving.accounts[7]?.waiting).toBeNull();
  });

  it('closes the run and every unfinished account on cancel', () => {
    const run = fold([ev('account_started', started, 1), ev('account_done', done('ok', 0), 2), ev('cancelled', {}, null)]);
    expect(run.status).toBe('cancelled');
    expect(run.accounts[1]?.status).toBe('cancelled');
    expect(run.accounts[2]?.status).toBe('ok');
    expect(fold([ev('run_done', runDone('failed', 3), null)]).status).toBe('failed');
  });
});

describe('mergeSnapshot (after a reload mid-run)', () => {
  const snapshot: RunSnapshot = {
    run: { id: 42, status: 'running', trigger: 'manual', started_at: '2025-11-28T12:00:00Z', finished_at: null },
    accounts: [
      { account_id: 7, status: 'running', copied: 30, skipped: 2, errors: 0, bytes: 500, error_summary: null, planned_messages: 100, planned_bytes: 2000 },
      { account_id: 8, status: 'queued', copied: 0, skipped: 0, errors: 0, bytes: 0, error_summary: null, planned_messages: null, planned_bytes: null },
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
          errors_list: [{ code: 'message_refused', folder: 'INBOX', uid: 7, reason: 'too big', side: 'dst' as const, kind: 'size' as const }],
        },
      ],
    };
    const run = mergeSnapshot(undefined, saved)!;
    expect(run.accounts[7]?.recentErrors).toEqual([{ folder: 'INBOX', uid: '7', reason: 'too big', side: 'dst', kind: 'size' }]);
  });

  it('keeps the larger counters and the live folder and plan', () => {
    const live = fold([ev('progress', progress(totals(45, 2, 0, 800), { folder: 'Sent' }))]);
    const run = mergeSnapshot(live, snapshot)!;
    expect(run.accounts[7]).toMatchObject({ copied: 45, bytes: 800, folder: 'Sent', plannedMessages: 100 });
  });

  it('keeps an account running when the snapshot was read before it started', () => {
    const live = fold([ev('progress', progress(totals(5, 0, 0, 10)), 8)]);
    const run = mergeSnapshot(live, snapshot)!;
    expect(run.accounts[8]).toMatchObject({ status: 'running', copied: 5, folder: 'INBOX' });
    expect(runTotals(run).accountsDone).toBe(0);
  });

  it('lets a finished snapshot close the run', () => {
    const live = fold([ev('progress', progress(totals(45, 0, 0, 1), { folder: 'Sent' }))]);
    const closed: RunSnapshot = {
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

  it('lists the running account\'s folders from the saved progress after a reload, until events take over', () => {
    const liveFolders = [
      { folder: 'INBOX', dst: 'INBOX', state: 'done' as const, planned: 60, copied: 58, skipped: 2, errors: 0, status: 'ok' },
      { folder: 'Sent', dst: 'Sent', state: 'running' as const, planned: 40, copied: 12, skipped: 0, errors: 1, status: null },
      { folder: 'Notes', dst: 'Notes', state: 'planned' as const, planned: 9 },
    ];
    const saved = { ...snapshot, accounts: [{ ...snapshot.accounts[0]!, live_folders: liveFolders }] };
    const run = mergeSnapshot(undefined, saved)!;
    expect(run.accounts[7]?.folders.map((f) => [f.folder, f.state, f.copied])).toEqual([
      ['INBOX', 'done', 58],
      ['Sent', 'running', 12],
      ['Notes', 'planned', 0],
    ]);
    const afterPlan = mergeSnapshot(fold([plan]), saved)!;
    expect(afterPlan.accounts[7]?.folders.map((f) => f.folder)).toEqual(['INBOX', 'Sent']); // the events' plan wins
    // An event that came before the snapshot (no plan seen here) adds to the saved list, never replaces it.
    const early = fold([ev('progress', progress(totals(70), { folder: 'Sent', copied: 20, total: 40 })), ev('folder', folder('Drafts', 'started'))]);
    const merged = mergeSnapshot(early, saved)!.accounts[7]!.folders;
    expect(merged.map((f) => [f.folder, f.state, f.copied])).toEqual([
      ['INBOX', 'done', 58],
      ['Sent', 'running', 20],
      ['Notes', 'planned', 0],
      ['Drafts', 'running', 0],
    ]);
  });
});

const account = (id: number, change: Partial<AccountProgress>): AccountProgress => ({ ...emptyAccount(id), ...change });
const runOf = (accounts: AccountProgress[], expected: number | null = null): LiveRun => ({
  ...emptyLiveRun(42),
  expectedAccounts: expected,
  accounts: Object.fromEntries(accounts.map((a) => [a.accountId, a])),
});

describe('runEta (the whole run, from the accounts\' figures)', () => {
  it('is what is left over the run\'s pace, never less than the longest running account', () => {
    const run = runOf([
      account(1, { status: 'running', plannedMessages: 1000, copied: 400, rate: 10, etaSeconds: 60 }),
      account(2, { status: 'running', plannedMessages: 300, copied: 100, skipped: 100, rate: 10, etaSeconds: 10 }),
    ]);
    // 600 + 100 left at 20 msg/s is 35 s, but account 1 alone needs 60 s.
    expect(runEta(run)).toEqual({ seconds: 60, estimated: false });
    const withQueued = runOf([
      account(1, { status: 'running', plannedMessages: 1000, copied: 400, rate: 30, etaSeconds: 20 }),
      account(2, { status: 'ok', plannedMessages: 300, copied: 300 }),
      account(3, { status: 'queued', plannedMessages: 900 }),
    ]);
    expect(runEta(withQueued)).toEqual({ seconds: 50, estimated: false }); // (600 + 900) / 30
  });

  it('counts accounts without a plan yet at the mean plan, and says it is an estimate', () => {
    const run = runOf(
      [
        account(1, { status: 'running', plannedMessages: 400, copied: 100, rate: 10, etaSeconds: 30 }),
        account(2, { status: 'ok', plannedMessages: 200, copied: 200 }),
        account(3, { status: 'queued' }),
      ],
      4,
    );
    // 300 left on account 1, and two accounts (one queued, one not reported yet) at the mean plan of 300.
    expect(runEta(run)).toEqual({ seconds: 90, estimated: true });
  });

  it('has nothing to say before a running account has a rate, without any plan, or once the run ended', () => {
    expect(runEta(runOf([account(1, { status: 'running', plannedMessages: 10 })]))).toBeNull();
    expect(runEta(runOf([account(1, { status: 'running', rate: 5 })]))).toBeNull();
    const over = { ...runOf([account(1, { status: 'running', plannedMessages: 10, rate: 5 })]), status: 'done' };
    expect(runEta(over)).toBeNull();
  });
});
