// Live run state: websocket events folded into per-account progress, merged
// with the run as the API last reported it (the snapshot that makes a page
// reload mid-run show current totals before the next event arrives).
// Events are typed by the generated client (the API's event models,
// docs/events.md): every account's figures, rates and ETA included, are
// computed by its worker. The run as a whole spans several workers, so its
// ETA is the one figure derived here, from theirs (runEta; docs/console.md,
// "Run ETA").
import type { AccountRunOut, AccountTotals, RunOut, TaskEvent } from '@/client/types.gen';
import {
  foldersAfterFolderEvent,
  foldersAfterProgress,
  foldersFromPlan,
  mergeFolders,
  type FolderProgress,
} from '@/features/runs/lib/live-folders';

type Counts = Pick<AccountTotals, 'copied' | 'skipped' | 'errors' | 'bytes'>;

export type MessageErrorItem = {
  folder: string | null;
  uid: string | null;
  reason: string;
  side?: string | null;
  kind?: string | null;
};

export type AccountProgress = {
  accountId: number;
  status: string;
  folder: string | null;
  copied: number;
  skipped: number;
  errors: number;
  bytes: number;
  plannedMessages: number | null;
  plannedBytes: number | null;
  /** Messages and bytes per second over the worker's sliding window, and the time left at that pace. */
  rate: number | null;
  bytesRate: number | null;
  etaSeconds: number | null;
  /** Why the account is paused (connection limit, throttling), if it is. */
  waiting: string | null;
  errorSummary: string | null;
  recentErrors: MessageErrorItem[];
  /** Per folder, from the plan and the folder events (live-folders.ts); after a reload, from the
   * per-folder state the job saves with its progress (the run snapshot's `live_folders`). */
  folders: FolderProgress[];
  /** Whether `folders` came from a plan event seen here (then it is complete and wins a merge). */
  foldersPlanned: boolean;
};

export type LiveRun = {
  runId: number;
  status: string;
  trigger: string | null;
  /** How many accounts the run started with (run_started says), before each reports. */
  expectedAccounts: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  accounts: Record<number, AccountProgress>;
};

const RECENT_ERRORS_KEPT = 20;

/** Run statuses: running, then a final one; account runs: queued, running, then a final one. */
export const isTerminal = (status: string): boolean => !['running', 'queued'].includes(status);

/** Account and run statuses that mean "finished without trouble". */
export const isSuccess = (status: string): boolean => status === 'done' || status === 'ok';

export function emptyLiveRun(runId: number): LiveRun {
  return { runId, status: 'running', trigger: null, expectedAccounts: null, startedAt: null, finishedAt: null, accounts: {} };
}

export function emptyAccount(accountId: number): AccountProgress {
  return {
    accountId,
    status: 'queued',
    folder: null,
    copied: 0,
    skipped: 0,
    errors: 0,
    bytes: 0,
    plannedMessages: null,
    plannedBytes: null,
    rate: null,
    bytesRate: null,
    etaSeconds: null,
    waiting: null,
    errorSummary: null,
    recentErrors: [],
    folders: [],
    foldersPlanned: false,
  };
}

const stopped = { folder: null, rate: null, bytesRate: null, etaSeconds: null, waiting: null } as const;

function withAccount(run: LiveRun, accountId: number, change: (a: AccountProgress) => AccountProgress): LiveRun {
  const current = run.accounts[accountId] ?? emptyAccount(accountId);
  return { ...run, accounts: { ...run.accounts, [accountId]: change(current) } };
}

/** Counters only grow within a run; a late or repeated event must not move them back. */
function countersFrom(a: AccountProgress, counts: Counts): AccountProgress {
  return {
    ...a,
    copied: Math.max(a.copied, counts.copied),
    skipped: Math.max(a.skipped, counts.skipped),
    errors: Math.max(a.errors, counts.errors),
    bytes: Math.max(a.bytes, counts.bytes),
  };
}

/** The account's totals and pace, as the worker computed them. */
function totalsFrom(a: AccountProgress, totals: AccountTotals | null): AccountProgress {
  if (totals === null) return a;
  return {
    ...countersFrom(a, totals),
    rate: totals.msgs_per_s ?? a.rate,
    bytesRate: totals.bytes_per_s ?? a.bytesRate,
    etaSeconds: totals.eta_seconds ?? a.etaSeconds,
  };
}

const running = (a: AccountProgress): string => (isTerminal(a.status) ? a.status : 'running');

function reduceAccountEvent(run: LiveRun, event: TaskEvent, accountId: number): LiveRun {
  switch (event.type) {
    case 'plan': {
      const { planned_messages: plannedMessages, planned_bytes: plannedBytes } = event.data;
      const folders = foldersFromPlan(event.data);
      return withAccount(run, accountId, (a) => ({ ...a, plannedMessages, plannedBytes, folders, foldersPlanned: true }));
    }
    case 'account_started':
      return withAccount(run, accountId, (a) => ({ ...a, status: running(a) }));
    case 'folder': {
      const d = event.data;
      return withAccount(run, accountId, (a) => {
        const next = { ...totalsFrom(a, d.account), folders: foldersAfterFolderEvent(a.folders, d) };
        if (isTerminal(a.status)) return next;
        return { ...next, status: 'running', folder: d.state === 'started' ? d.folder : null };
      });
    }
    case 'progress': {
      const d = event.data;
      return withAccount(run, accountId, (a) => {
        if (d.waiting) return { ...a, waiting: d.waiting };
        const folders = foldersAfterProgress(a.folders, d);
        return { ...totalsFrom(a, d.account), status: running(a), folder: d.folder ?? a.folder, waiting: null, folders };
      });
    }
    case 'account_done': {
      const d = event.data;
      return withAccount(run, accountId, (a) => ({
        ...countersFrom(a, d),
        ...stopped,
        status: d.status,
        errorSummary: d.error_summary ?? a.errorSummary,
      }));
    }
    case 'error': {
      const d = event.data;
      const item: MessageErrorItem = { folder: d.folder, uid: d.uid === null ? null : String(d.uid), reason: d.reason };
      if (d.side) item.side = d.side;
      if (d.kind) item.kind = d.kind;
      return withAccount(run, accountId, (a) => ({
        ...a,
        recentErrors: [...a.recentErrors, item].slice(-RECENT_ERRORS_KEPT),
      }));
    }
    default:
      return run;
  }
}

/** Fold one websocket event into the live state of its run. */
export function reduceLiveRun(run: LiveRun, event: TaskEvent): LiveRun {
  switch (event.type) {
    case 'run_started':
      return {
        ...run,
        status: 'running',
        trigger: event.data.trigger,
        expectedAccounts: event.data.accounts,
        startedAt: event.ts,
      };
    case 'cancelled':
    case 'run_done': {
      const status = event.type === 'cancelled' ? 'cancelled' : event.data.status;
      const accounts: Record<number, AccountProgress> = {};
      for (const [id, a] of Object.entries(run.accounts)) {
        accounts[Number(id)] = isTerminal(a.status) ? a : { ...a, ...stopped, status };
      }
      return { ...run, status, finishedAt: event.ts, accounts };
    }
    default:
      return event.account_id === null ? run : reduceAccountEvent(run, event, event.account_id);
  }
}

/** What the merge reads of GET /runs/{id} (the generated RunDetail). */
type SnapshotAccount = Pick<
  AccountRunOut,
  | 'account_id'
  | 'status'
  | 'copied'
  | 'skipped'
  | 'errors'
  | 'bytes'
  | 'error_summary'
  | 'planned_messages'
  | 'planned_bytes'
> & { errors_list?: AccountRunOut['errors_list']; live_folders?: AccountRunOut['live_folders'] };
export type RunSnapshot = {
  run: Pick<RunOut, 'id' | 'status' | 'trigger' | 'started_at' | 'finished_at'>;
  accounts: SnapshotAccount[];
};

/** How far along a status is: queued, then running, then finished. */
const statusStage = (status: string): number => (isTerminal(status) ? 2 : status === 'running' ? 1 : 0);

function savedErrors(snap: SnapshotAccount): MessageErrorItem[] {
  return (snap.errors_list ?? []).slice(-RECENT_ERRORS_KEPT).map((e) => {
    const item: MessageErrorItem = {
      folder: e.folder ?? null,
      uid: e.uid === undefined || e.uid === null ? null : String(e.uid),
      reason: e.reason,
    };
    if (e.side) item.side = e.side;
    if (e.kind) item.kind = e.kind;
    return item;
  });
}

function mergeAccount(live: AccountProgress | undefined, snap: SnapshotAccount): AccountProgress {
  const base = live ?? emptyAccount(snap.account_id);
  // The further along of the two statuses wins (a snapshot read at the start of the run still says
  // "queued" while events say "running"); counters take the larger value.
  const status = statusStage(base.status) >= statusStage(snap.status) ? base.status : snap.status;
  const finished = isTerminal(status);
  return {
    ...base,
    status,
    copied: Math.max(base.copied, snap.copied),
    skipped: Math.max(base.skipped, snap.skipped),
    errors: Math.max(base.errors, snap.errors),
    bytes: Math.max(base.bytes, snap.bytes),
    errorSummary: base.errorSummary ?? snap.error_summary,
    plannedMessages: base.plannedMessages ?? snap.planned_messages,
    plannedBytes: base.plannedBytes ?? snap.planned_bytes,
    ...(finished ? stopped : {}),
    recentErrors: base.recentErrors.length > 0 ? base.recentErrors : savedErrors(snap),
    folders: base.foldersPlanned ? base.folders : mergeFolders(savedFolders(snap), base.folders),
  };
}

/** The per-folder view the job saved with its progress, until the next plan or folder event. */
function savedFolders(snap: SnapshotAccount): FolderProgress[] {
  return (snap.live_folders ?? []).map((f) => ({
    folder: f.folder,
    dst: f.dst,
    state: f.state,
    planned: f.planned,
    copied: f.copied ?? 0,
    skipped: f.skipped ?? 0,
    errors: f.errors ?? 0,
    status: f.status ?? null,
  }));
}

/** Combine what events said with what the API reports; either may be missing. */
export function mergeSnapshot(live: LiveRun | undefined, snapshot: RunSnapshot | undefined): LiveRun | null {
  if (!snapshot) return live ?? null;
  const base = live ?? emptyLiveRun(snapshot.run.id);
  const accounts: Record<number, AccountProgress> = { ...base.accounts };
  for (const snap of snapshot.accounts) accounts[snap.account_id] = mergeAccount(base.accounts[snap.account_id], snap);
  const snapshotFinal = isTerminal(snapshot.run.status);
  return {
    runId: snapshot.run.id,
    status: snapshotFinal ? snapshot.run.status : base.status,
    trigger: snapshot.run.trigger ?? base.trigger,
    expectedAccounts: base.expectedAccounts,
    startedAt: base.startedAt ?? snapshot.run.started_at,
    finishedAt: snapshot.run.finished_at ?? base.finishedAt,
    accounts,
  };
}

export type RunTotals = {
  copied: number;
  skipped: number;
  errors: number;
  bytes: number;
  /** Sum of the plans known so far; `planComplete` says whether every account has one. */
  plannedMessages: number;
  plannedBytes: number;
  planComplete: boolean;
  bytesPlanComplete: boolean;
  /** Messages (bytes) per second of the running accounts; null until one of them has a rate. */
  rate: number | null;
  bytesRate: number | null;
  accountsDone: number;
  accountsTotal: number;
};

export function runTotals(run: LiveRun): RunTotals {
  const accounts = Object.values(run.accounts);
  const totals: RunTotals = {
    copied: 0,
    skipped: 0,
    errors: 0,
    bytes: 0,
    plannedMessages: 0,
    plannedBytes: 0,
    planComplete: accounts.length > 0 && accounts.length >= (run.expectedAccounts ?? 0),
    bytesPlanComplete: accounts.length > 0 && accounts.length >= (run.expectedAccounts ?? 0),
    rate: null,
    bytesRate: null,
    accountsDone: 0,
    accountsTotal: Math.max(accounts.length, run.expectedAccounts ?? 0),
  };
  for (const a of accounts) {
    totals.copied += a.copied;
    totals.skipped += a.skipped;
    totals.errors += a.errors;
    totals.bytes += a.bytes;
    if (a.plannedMessages === null) totals.planComplete = false;
    if (a.plannedBytes === null) totals.bytesPlanComplete = false;
    totals.plannedMessages += a.plannedMessages ?? 0;
    totals.plannedBytes += a.plannedBytes ?? 0;
    if (a.status === 'running' && a.rate !== null) totals.rate = (totals.rate ?? 0) + a.rate;
    if (a.status === 'running' && a.bytesRate !== null) totals.bytesRate = (totals.bytesRate ?? 0) + a.bytesRate;
    if (isTerminal(a.status)) totals.accountsDone += 1;
  }
  return totals;
}

/** Messages handled so far: copied, already there (skipped) or refused (errors). */
export const processedMessages = (a: { copied: number; skipped: number; errors: number }): number =>
  a.copied + a.skipped + a.errors;

/** The run's time left; `estimated` when accounts without a plan yet were counted at the mean plan. */
export type RunEta = { seconds: number; estimated: boolean };

/**
 * The whole run's time left, from the figures the workers send per account (docs/console.md,
 * "Run ETA"): the messages still to look at over the run's current pace (the running accounts'
 * rates added up), and never less than the longest running account's own ETA (one account is
 * never split between workers). Accounts that have no plan yet (queued, or not reported at all)
 * count as the mean plan of those that have one. Null until a running account has a rate and
 * some account a plan.
 */
export function runEta(run: LiveRun): RunEta | null {
  if (isTerminal(run.status)) return null;
  const accounts = Object.values(run.accounts);
  const active = accounts.filter((a) => !isTerminal(a.status));
  const copying = active.filter((a) => a.status === 'running');
  const rate = copying.reduce((sum, a) => sum + (a.rate ?? 0), 0);
  if (rate <= 0) return null;
  const plans = accounts.map((a) => a.plannedMessages).filter((m): m is number => m !== null);
  const mean = plans.length > 0 ? plans.reduce((sum, m) => sum + m, 0) / plans.length : null;
  const unplanned = active.filter((a) => a.plannedMessages === null).length + Math.max(0, (run.expectedAccounts ?? 0) - accounts.length);
  if (unplanned > 0 && mean === null) return null;
  let remaining = unplanned * (mean ?? 0);
  for (const a of active) {
    if (a.plannedMessages !== null) remaining += Math.max(a.plannedMessages - processedMessages(a), 0);
  }
  const longest = Math.max(0, ...copying.map((a) => a.etaSeconds ?? 0));
  return { seconds: Math.max(remaining / rate, longest), estimated: unplanned > 0 };
}
