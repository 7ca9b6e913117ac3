import { QueryState } from '@/components/ui/query-state';
import { formatBytes, formatCount, formatCountOf, formatDuration, secondsBetween } from '@/lib/format';
import { useRun } from '@/features/runs/api/get-run';
import type { AccountRun } from '@/features/runs/api/run-schema';
import { RunStatusBadge } from '@/features/runs/components/run-status-badge';
import { errorLabel, isMessageError } from '@/features/runs/lib/error-labels';

const ERRORS_SHOWN = 50;

/**
 * Per-account results of one run, with the message errors. The run's own error summary is one of
 * its accounts' summaries; it is shown only when no account row already says it.
 */
export function RunAccounts({ runId, runSummary }: { runId: number; runSummary: string | null }) {
  const detail = useRun(runId);
  return (
    <QueryState
      query={detail}
      loadingLabel="Loading the run's accounts…"
      isEmpty={(d) => d.accounts.length === 0}
      empty={<p className="muted">No account was part of this run.</p>}
    >
      {(d) => (
        <>
          {runSummary && !d.accounts.some((a) => a.error_summary === runSummary) ? (
            <p className="small text-danger">{runSummary}</p>
          ) : null}
          <ul className="run-accounts">
            {d.accounts.map((a) => (
              <RunAccountItem key={a.account_id} account={a} />
            ))}
          </ul>
        </>
      )}
    </QueryState>
  );
}

function RunAccountItem({ account: a }: { account: AccountRun }) {
  const duration = secondsBetween(a.started_at, a.finished_at);
  const accountWide = a.errors_list.find((e) => !isMessageError(e));
  return (
    <li className="run-account" data-testid="run-account-row" data-account-id={a.account_id} data-status={a.status}>
      <div className="run-account-head">
        <span className="mono strong">{a.src_username}</span>
        <RunStatusBadge status={a.status} errors={a.errors} />
        <span className="small">
          {formatCount(a.copied)} copied · {formatCount(a.skipped)} skipped ·{' '}
          <span className={a.errors > 0 ? 'text-danger' : undefined}>{formatCountOf(a.errors, 'error')}</span> ·{' '}
          {formatBytes(a.bytes)}
          {duration !== null ? ` · ${formatDuration(duration)}` : ''}
        </span>
      </div>
      {a.error_summary ? <p className="small text-danger">{a.error_summary}</p> : null}
      {(a.warnings ?? []).map((w) => (
        <p key={`${w.kind}/${w.folder ?? ''}`} className="small text-warning" data-testid="run-warning">
          {w.folder ? <span className="mono">{w.folder}</span> : null}
          {w.folder ? ': ' : ''}
          {w.message}
        </p>
      ))}
      {a.folders
        .filter((f) => f.note)
        .map((f) => (
          <p key={`note/${String(f.folder)}`} className="small muted" data-testid="run-folder-note">
            <span className="mono">{String(f.folder)}</span> → <span className="mono">{String(f.dst_folder)}</span>:{' '}
            {String(f.note)}
          </p>
        ))}
      {a.errors_list.length > 0 ? (
        <details className="small">
          <summary>
            {a.errors_list.length} error{a.errors_list.length === 1 ? '' : 's'}
            {accountWide ? ` (${errorLabel(accountWide)})` : ''}
          </summary>
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">Folder</th>
                <th scope="col">UID</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {a.errors_list.slice(0, ERRORS_SHOWN).map((e) => (
                <tr key={`${e.folder ?? ''}/${e.uid ?? ''}/${e.reason}`} data-testid="run-error" data-kind={e.kind ?? ''}>
                  <td data-testid="run-error-what">{errorLabel(e)}</td>
                  <td className="mono">{e.folder ?? '—'}</td>
                  <td className="mono">{e.uid ?? '—'}</td>
                  <td>{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {a.errors_list.length > ERRORS_SHOWN ? (
            <p className="muted">…and {a.errors_list.length - ERRORS_SHOWN} more.</p>
          ) : null}
        </details>
      ) : null}
    </li>
  );
}
