import { Button } from '@/components/ui/button';
import { DateTime } from '@/components/ui/date-time';
import { formatBytes, formatCount, formatCountOf, formatDuration, secondsBetween } from '@/lib/format';
import type { AccountRun, MessageError, RunDetail } from '@/features/runs/api/run-schema';
import { RunStatusBadge } from '@/features/runs/components/run-status-badge';
import { errorLabel } from '@/features/runs/lib/error-labels';
import { drillAccount, type FolderGroup } from '@/features/runs/lib/run-drill';
import { runCsv, runCsvFilename } from '@/features/runs/lib/run-export';

const ERRORS_SHOWN = 100;

function downloadCsv(detail: RunDetail) {
  const url = URL.createObjectURL(new Blob([runCsv(detail)], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = runCsvFilename(detail);
  link.click();
  URL.revokeObjectURL(url);
}

/** One run on a page of its own: totals, CSV export, accounts → folders → message errors. */
export function RunPage({ detail }: { detail: RunDetail }) {
  const { run, accounts } = detail;
  const duration = secondsBetween(run.started_at, run.finished_at);
  // Accounts that need an eye first (failed, with errors), then the rest in the run's order.
  const ordered = accounts.toSorted((x, y) => Number(y.errors > 0 || y.status === 'failed') - Number(x.errors > 0 || x.status === 'failed'));
  return (
    <>
      <section className="card run-summary" aria-label="Summary" data-testid="run-summary">
        <div className="run-account-head">
          <RunStatusBadge status={run.status} errors={run.total_errors} testId="run-page-status" />
          <span className="small">
            {run.trigger} · started <DateTime iso={run.started_at} />
            {duration !== null ? ` · took ${formatDuration(duration)}` : ''}
          </span>
        </div>
        <p className="small">
          {formatCount(run.total_copied)} copied · {formatCount(run.total_skipped)} skipped ·{' '}
          <span className={run.total_errors > 0 ? 'text-danger' : undefined}>{formatCountOf(run.total_errors, 'error')}</span> ·{' '}
          {formatBytes(run.total_bytes)} · {formatCountOf(accounts.length, 'account')}
        </p>
        {run.error_summary ? <p className="small text-danger">{run.error_summary}</p> : null}
        <Button size="sm" onClick={() => downloadCsv(detail)} disabled={accounts.length === 0} data-testid="run-csv-export">
          Export CSV
        </Button>
      </section>
      {accounts.length === 0 ? (
        <p className="muted">No account was part of this run.</p>
      ) : (
        <ul className="run-accounts run-log-accounts" data-testid="run-log-accounts">
          {ordered.map((a) => (
            <AccountItem key={a.account_id} account={a} />
          ))}
        </ul>
      )}
    </>
  );
}

function AccountItem({ account: a }: { account: AccountRun }) {
  const drill = drillAccount(a);
  const duration = secondsBetween(a.started_at, a.finished_at);
  return (
    <li className="run-account" data-testid="run-log-account" data-account-id={a.account_id} data-status={a.status}>
      <details open={a.status === 'failed' || undefined}>
        <summary>
          <span className="run-account-head">
            <span className="mono strong wrap-anywhere">{a.src_username}</span>
            <RunStatusBadge status={a.status} errors={a.errors} />
            <span className="small">
              {formatCount(a.copied)} copied · {formatCount(a.skipped)} skipped ·{' '}
              <span className={a.errors > 0 ? 'text-danger' : undefined}>{formatCountOf(a.errors, 'error')}</span> ·{' '}
              {formatBytes(a.bytes)}
              {duration !== null ? ` · ${formatDuration(duration)}` : ''}
            </span>
          </span>
        </summary>
        <div className="run-log-body">
          <p className="small muted wrap-anywhere">
            to <span className="mono">{a.dst_username}</span>
          </p>
          {a.error_summary ? <p className="small text-danger">{a.error_summary}</p> : null}
          {drill.accountWide.length > 0 ? <ErrorList errors={drill.accountWide} testId="run-log-account-errors" /> : null}
          {drill.folders.length > 0 ? (
            <ul className="run-log-folders">
              {drill.folders.map((f) => (
                <FolderItem key={f.folder} group={f} />
              ))}
            </ul>
          ) : null}
        </div>
      </details>
    </li>
  );
}

function FolderItem({ group: f }: { group: FolderGroup }) {
  const head = (
    <>
      <span className="mono wrap-anywhere">{f.folder}</span>
      {f.dstFolder && f.dstFolder !== f.folder ? (
        <span className="small muted wrap-anywhere">
          {' '}
          → <span className="mono">{f.dstFolder}</span>
        </span>
      ) : null}
      <span className={`small ${f.errors.length > 0 ? 'text-danger' : 'muted'}`}> · {formatCountOf(f.errors.length, 'error')}</span>
    </>
  );
  return (
    <li data-testid="run-log-folder" data-folder={f.folder} data-errors={f.errors.length}>
      {f.errors.length === 0 ? (
        <p className="small">{head}</p>
      ) : (
        <details>
          <summary>{head}</summary>
          {f.note ? <p className="small muted">{f.note}</p> : null}
          <ErrorList errors={f.errors} testId="run-log-folder-errors" />
        </details>
      )}
    </li>
  );
}

function ErrorList({ errors, testId }: { errors: MessageError[]; testId: string }) {
  return (
    <>
      <ul className="run-log-errors" data-testid={testId}>
        {errors.slice(0, ERRORS_SHOWN).map((e) => (
          <li key={`${e.folder ?? ''}/${e.uid ?? ''}/${e.code}/${e.reason}`} data-testid="run-log-error" data-side={e.side ?? ''} data-kind={e.kind ?? ''}>
            <span className="strong" data-testid="run-log-error-what">
              {errorLabel(e)}
            </span>
            {e.uid !== null && e.uid !== undefined ? <span className="mono"> · UID {e.uid}</span> : null}
            <span className="wrap-anywhere">: {e.reason}</span>
          </li>
        ))}
      </ul>
      {errors.length > ERRORS_SHOWN ? <p className="small muted">…and {errors.length - ERRORS_SHOWN} more (in the CSV export).</p> : null}
    </>
  );
}
