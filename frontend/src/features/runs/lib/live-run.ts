// Live run state: websocket events folded into per-account progress, merged
// with the run as the API last reported it (the snapshot that makes a page
// reload mid-run show current totals before the next event arrives).
import type { TaskEvent } from '@/lib/task-events';

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
  rate: number | null;
  /** Why the account is paused (connection limit, throttling), if it is. */
  waiting: string | null;
  errorSummary: string | null;
  recentErrors: MessageErrorItem[];
  /** Last (time, processed) point, to derive a rate when events carry none. */
  rateSample: { at: number; processed: number } | null;
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

export const isTerminal = (status: string): boolean => !['running', 'pending', 'queued'].includes(status);

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
    waiting: null,
    errorSummary: null,
    recentErrors: [],
    rateSample: null,
  };
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Counters only grow within a run; a late or repeated event must not move them back. */
const atLeast = (current: number, next: unknown): number => Math.max(current, num(next) ?? 0);

function withAccount(run: LiveRun, accountId: number, change: (a: AccountProgress) => AccountProgress): LiveRun {
  const current = run.accounts[accountId] ?? emptyAccount(accountId);
  return { ...run, accounts: { ...run.accounts, [accountId]: change(current) } };
}

function eventAccountId(event: TaskEvent): number | null {
  return event.account_id ?? num(event.data.account_id);
}

const record = (value: unknown): Record<string, unknown> | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

/**
 * Account-wide counters of an event: workers nest them under `account` (the
 * top level of a progress event holds the current folder's figures); a flat
 * payload is read as account-wide.
 */
function accountCounters(d: Record<string, unknown>): Record<string, unknown> {
  return record(d.account) ?? d;
}

function countersFrom(a: AccountProgress, counters: Record<string, unknown>): AccountProgress {
  return {
    ...a,
    copied: atLeast(a.copied, counters.copied),
    skipped: atLeast(a.skipped, counters.skipped),
    errors: atLeast(a.errors, counters.errors),
    bytes: atLeast(a.bytes, counters.bytes),
  };
}

/** The plan: explicit totals, or summed from the folder list (pending messages, folder sizes). */
function withPlan(a: AccountProgress, d: Record<string, unknown>): AccountProgress {
  let messages = num(d.planned_messages);
  let bytes = num(d.planned_bytes);
  if (Array.isArray(d.folders) && (messages === null || bytes === null)) {
    const folders = d.folders.map(record).filter((f) => f !== null);
    messages ??= folders.reduce((sum, f) => sum + (num(f.pending) ?? num(f.messages) ?? 0), 0);
    const sizes = folders.map((f) => num(f.size));
    bytes ??= sizes.every((size) => size !== null) ? sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0) : null;
  }
  return { ...a, plannedMessages: messages ?? a.plannedMessages, plannedBytes: bytes ?? a.plannedBytes };
}

const RATE_MIN_INTERVAL_MS = 1_000;

/** Messages per second between two progress events, smoothed. */
function withRate(a: AccountProgress, d: Record<string, unknown>, ts: string | null | undefined): AccountProgress {
  const given = num(d.rate_msgs_per_s);
  if (given !== null) return { ...a, rate: given };
  const at = ts ? Date.parse(ts) : Number.NaN;
  if (!Number.isFinite(at)) return a;
  const processed = processedMessages(a);
  const sample = a.rateSample;
  if (!sample) return { ...a, rateSample: { at, processed } };
  const elapsedMs = at - sample.at;
  if (elapsedMs < RATE_MIN_INTERVAL_MS) return a;
  const instant = Math.max(0, (processed - sample.processed) / (elapsedMs / 1000));
  const rate = a.rate === null ? instant : 0.5 * a.rate + 0.5 * instant;
  return { ...a, rate, rateSample: { at, processed } };
}

function reduceAccountEvent(run: LiveRun, event: TaskEvent, accountId: number): LiveRun {
  const d = event.data;
  switch (event.type) {
    case 'plan':
      return withAccount(run, accountId, (a) => withPlan(a, d));
    case 'account_started':
      return withAccount(run, accountId, (a) => (isTerminal(a.status) ? a : { ...a, status: 'running' }));
    case 'folder':
      return withAccount(run, accountId, (a) => {
        const next = countersFrom(a, record(d.account) ?? {});
        if (isTerminal(a.status)) return next;
        const started = str(d.state) !== 'done';
        return { ...next, status: 'running', folder: started ? (str(d.folder) ?? a.folder) : null };
      });
    case 'progress':
      return withAccount(run, accountId, (a) => {
        if (str(d.waiting)) return { ...a, waiting: str(d.waiting) };
        const next = withPlan(countersFrom(a, accountCounters(d)), d);
        return {
          ...withRate(next, d, event.ts),
          status: isTerminal(a.status) ? a.status : 'running',
          folder: str(d.folder) ?? a.folder,
          waiting: null,
        };
      });
    case 'account_done':
      return withAccount(run, accountId, (a) => ({
        ...countersFrom(a, d),
        status: str(d.status) ?? 'done',
        folder: null,
        rate: null,
        waiting: null,
        errorSummary: str(d.error_summary) ?? str(d.error) ?? a.errorSummary,
      }));
    case 'error': {
      const item: MessageErrorItem = {
        folder: str(d.folder),
        uid: d.uid === undefined || d.uid === null ? null : String(d.uid),
        reason: str(d.reason) ?? str(d.message) ?? 'unknown error',
        ...(str(d.side) ? { side: str(d.side) } : {}),
        ...(str(d.kind) ? { kind: str(d.kind) } : {}),
      };
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
  const d = event.data;
  switch (event.type) {
    case 'run_started':
      return {
        ...run,
        status: 'running',
        trigger: str(d.trigger) ?? run.trigger,
        expectedAccounts: num(d.accounts) ?? run.expectedAccounts,
        startedAt: str(d.started_at) ?? event.ts ?? run.startedAt,
      };
    case 'cancelled':
    case 'run_done': {
      const status = event.type === 'cancelled' ? 'cancelled' : (str(d.status) ?? 'done');
      const accounts: Record<number, AccountProgress> = {};
      for (const [id, a] of Object.entries(run.accounts)) {
        accounts[Number(id)] = isTerminal(a.status) ? a : { ...a, status, folder: null, rate: null, waiting: null };
      }
      return { ...run, status, finishedAt: str(d.finished_at) ?? event.ts ?? run.finishedAt, accounts };
    }
    default: {
      const accountId = eventAccountId(event);
      return accountId === null ? run : reduceAccountEvent(run, event, accountId);
    }
  }
}

type SnapshotAccount = {
  account_id: number;
  status: string;
  copied: number;
  skipped: number;
  errors: number;
  bytes: number;
  error_summary: string | null;
  planned_messages?: number | null;
  planned_bytes?: number | null;
  /** The error items saved so far: a page reloaded mid-run shows them before new events arrive. */
  errors_list?: { folder?: string | null; uid?: number | string | null; reason: string; side?: string | null; kind?: string | null }[];
};

type Snapshot = {
  run: { id: number; status: string; trigger?: string; started_at: string; finished_at: string | null };
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
    recentErrors: base.recentErrors.length > 0 ? base.recentErrors : savedErrors(snap),
    plannedMessages: base.plannedMessages ?? snap.planned_messages ?? null,
    plannedBytes: base.plannedBytes ?? snap.planned_bytes ?? null,
    folder: finished ? null : base.folder,
    rate: finished ? null : base.rate,
    waiting: finished ? null : base.waiting,
  };
}

/** Combine what events said with what the API reports; either may be missing. */
export function mergeSnapshot(live: LiveRun | undefined, snapshot: Snapshot | undefined): LiveRun | null {
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
  /** Messages per second of the running accounts; null until one of them has a rate. */
  rate: number | null;
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
    if (isTerminal(a.status)) totals.accountsDone += 1;
  }
  return totals;
}

/** Messages handled so far: copied, already there (skipped) or refused (errors). */
export const processedMessages = (a: { copied: number; skipped: number; errors: number }): number =>
  a.copied + a.skipped + a.errors;
