// The run log's CSV export, built in the browser from GET /api/runs/{id} (docs/console.md,
// "The run log page"): one line per account, then one line per error item of that account.
import type { AccountRun, RunDetail } from '@/features/runs/api/run-schema';

const COLUMNS = [
  'run_id',
  'src_user',
  'dst_user',
  'line',
  'status',
  'copied',
  'skipped',
  'errors',
  'bytes',
  'started_at',
  'finished_at',
  'side',
  'kind',
  'folder',
  'uid',
  'reason',
] as const;

type Cell = string | number | null | undefined;

/**
 * One CSV field: quoted when it holds a comma, quote or line break; a text starting with = + - @
 * (or a tab / carriage return) gets a leading apostrophe so a spreadsheet never runs it as a
 * formula (server texts and usernames come from outside).
 */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function accountLines(runId: number, a: AccountRun): Cell[][] {
  const head: Cell[] = [runId, a.src_username, a.dst_username, 'account', a.status, a.copied, a.skipped, a.errors, a.bytes];
  const lines: Cell[][] = [[...head, a.started_at, a.finished_at, null, null, null, null, a.error_summary]];
  for (const e of a.errors_list) {
    lines.push([runId, a.src_username, a.dst_username, 'error', a.status, null, null, null, null, null, null, e.side, e.kind, e.folder, e.uid, e.reason]);
  }
  return lines;
}

/** The whole file, header first, CRLF line ends (RFC 4180). */
export function runCsv(detail: RunDetail): string {
  const rows: Cell[][] = [[...COLUMNS]];
  for (const a of detail.accounts) rows.push(...accountLines(detail.run.id, a));
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export const runCsvFilename = (detail: RunDetail) => `run-${detail.run.id}-task-${detail.run.task_id}.csv`;
