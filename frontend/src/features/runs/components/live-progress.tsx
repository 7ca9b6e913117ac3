import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { ProgressBar } from '@/components/ui/progress-bar';
import { formatBytes, formatCount, formatCountOf, formatDateTime, formatDuration, formatRate, secondsBetween } from '@/lib/format';
import { useNow } from '@/lib/use-now';
import { RunStatusBadge } from '@/features/runs/components/run-status-badge';
import { isTerminal, processedMessages, runEta, runTotals, type AccountProgress, type LiveRun } from '@/features/runs/lib/live-run';
import { barTone, barValue, messagesLabel, totalValue } from '@/features/runs/lib/progress-display';
import { errorLabel, isMessageError } from '@/features/runs/lib/error-labels';
import { liveList } from '@/features/runs/lib/live-list';
import { LiveFolders } from '@/features/runs/components/live-folders';

type Props = { run: LiveRun; accountNames: Record<number, string> };

function rateText(rate: number | null, bytesRate: number | null): string {
  return bytesRate === null ? formatRate(rate) : `${formatRate(rate)} · ${formatBytes(bytesRate)}/s`;
}
const STATUS_WORDS: Record<string, string> = {
  queued: 'queued',
  ok: 'done',
  partial: 'done with errors',
  cancelled: 'cancelled',
};

function of(done: string, total: number | null, totalText: string) {
  return total === null ? done : `${done} of ${totalText}`;
}

/** Per-account and total progress of the task's latest run: totals, then the accounts that need an
 * eye (running, failed, with errors), the rest counted when there are many. */
export function LiveProgress({ run, accountNames }: Props) {
  const now = useNow(1_000);
  const totals = runTotals(run);
  const running = !isTerminal(run.status);
  const elapsed = secondsBetween(run.startedAt, running ? now.toISOString() : run.finishedAt);
  const plannedMessages = totals.planComplete ? totals.plannedMessages : null;
  const plannedBytes = totals.bytesPlanComplete ? totals.plannedBytes : null;
  const processed = processedMessages(totals);
  const eta = runEta(run);
  const [showAll, setShowAll] = useState(false);
  const byName = (a: AccountProgress, b: AccountProgress) =>
    (accountNames[a.accountId] ?? '').localeCompare(accountNames[b.accountId] ?? '') || a.accountId - b.accountId;
  const all = Object.values(run.accounts);
  const { listed: accounts, collapsed } = liveList(all, byName, showAll);

  return (
    <div className="live-progress" data-testid="live-progress" data-run-id={run.runId} data-status={run.status}>
      <div className="run-total" data-testid="run-total" data-status={run.status}>
        <div className="run-total-head">
          <RunStatusBadge status={run.status} errors={totals.errors} testId="run-status" />
          <span className="muted small">
            Run #{run.runId}
            {run.trigger ? ` · ${run.trigger}` : ''}
            {run.startedAt ? ` · started ${formatDateTime(run.startedAt)}` : ''}
            {elapsed !== null ? ` · ${running ? 'running for' : 'took'} ${formatDuration(elapsed)}` : ''}
          </span>
        </div>
        <ProgressBar
          label="All accounts, messages"
          value={totalValue(run.status, processed, plannedMessages)}
          valueText={of(formatCount(processed), plannedMessages, `${formatCount(plannedMessages)} messages`)}
          tone={barTone(run.status, totals.errors)}
          testId="run-total-progress"
        />
        <dl className="stats">
          <Stat label="Copied" value={formatCount(totals.copied)} testId="run-total-copied" />
          <Stat label="Skipped" value={formatCount(totals.skipped)} testId="run-total-skipped" />
          <Stat label="Errors" value={formatCount(totals.errors)} testId="run-total-errors" danger={totals.errors > 0} />
          <Stat label="Data" value={of(formatBytes(totals.bytes), plannedBytes, formatBytes(plannedBytes))} />
          {running ? <Stat label="Rate" value={rateText(totals.rate, totals.bytesRate)} testId="run-total-rate" /> : null}
          {running ? (
            <Stat
              label="Time left"
              value={eta === null ? '—' : `${eta.estimated ? 'about ' : ''}${formatDuration(eta.seconds)}`}
              testId="run-total-eta"
            />
          ) : null}
          <Stat label="Accounts done" value={`${formatCount(totals.accountsDone)} / ${formatCount(totals.accountsTotal)}`} />
        </dl>
      </div>
      {accounts.length === 0 ? (
        <p className="muted">Waiting for the workers to pick up the accounts…</p>
      ) : (
        <>
          <ul className="account-progress-list">
            {accounts.map((a) => (
              <AccountProgressItem key={a.accountId} progress={a} name={accountNames[a.accountId] ?? `Account #${a.accountId}`} />
            ))}
          </ul>
          {collapsed.length > 0 || showAll ? (
            <p className="small muted" data-testid="live-collapsed">
              {collapsed.length > 0
                ? `and ${collapsed.map((c) => `${formatCount(c.count)} ${STATUS_WORDS[c.status] ?? c.status}`).join(', ')} `
                : null}
              <Button size="sm" variant="ghost" onClick={() => setShowAll(!showAll)} data-testid="live-show-all">
                {showAll ? 'Show fewer' : `Show all ${formatCount(all.length)}`}
              </Button>
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}

function Stat({ label, value, testId, danger }: { label: string; value: string; testId?: string; danger?: boolean }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd className={danger ? 'text-danger' : undefined} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

function AccountProgressItem({ progress: a, name }: { progress: AccountProgress; name: string }) {
  const processed = processedMessages(a);
  const finished = isTerminal(a.status);
  const messagesText = messagesLabel(processed, a.plannedMessages, finished);
  return (
    <li className="account-progress" data-testid="account-progress" data-account-id={a.accountId} data-status={a.status}>
      <div className="account-progress-head">
        <span className="mono strong">{name}</span>
        <RunStatusBadge status={a.status} errors={a.errors} />
        {a.waiting && !finished ? (
          <span className="small text-warning" data-testid="account-waiting">
            waiting: {a.waiting}
          </span>
        ) : null}
        {a.folder && !finished ? (
          <span className="muted small" data-testid="current-folder">
            in <span className="mono">{a.folder}</span>
          </span>
        ) : null}
        <span className="spacer" />
        <span className="small counts" data-testid="account-counts">
          {formatCount(a.copied)} copied · {formatCount(a.skipped)} skipped ·{' '}
          <span className={a.errors > 0 ? 'text-danger' : undefined}>{formatCountOf(a.errors, 'error')}</span>
          {!finished && a.rate !== null ? ` · ${rateText(a.rate, a.bytesRate)}` : ''}
          {!finished && a.etaSeconds !== null ? ` · ${formatDuration(a.etaSeconds)} left` : ''}
        </span>
      </div>
      <div className="account-progress-bars">
        <ProgressBar
          label={`${name}, messages`}
          value={barValue(a.status, processed, a.plannedMessages)}
          valueText={messagesText}
          tone={barTone(a.status, a.errors)}
          testId="progress-messages"
        />
        <span className="small muted bar-label">{messagesText}</span>
        {a.plannedBytes === null ? (
          // Without a byte total there is nothing to measure against: the amount alone, no bar.
          <span className="small muted bar-label bytes-only">{formatBytes(a.bytes)} copied</span>
        ) : (
          <>
            <ProgressBar
              label={`${name}, data`}
              value={barValue(a.status, a.bytes, a.plannedBytes)}
              valueText={of(formatBytes(a.bytes), a.plannedBytes, formatBytes(a.plannedBytes))}
              tone={barTone(a.status, a.errors)}
              testId="progress-bytes"
            />
            <span className="small muted bar-label">{of(formatBytes(a.bytes), a.plannedBytes, formatBytes(a.plannedBytes))}</span>
          </>
        )}
      </div>
      {a.errorSummary ? <p className="small text-danger">{a.errorSummary}</p> : null}
      {a.status === 'running' ? <LiveFolders folders={a.folders} name={name} /> : null}
      {a.recentErrors.length > 0 ? (
        <details className="small">
          <summary>Latest errors ({a.recentErrors.length})</summary>
          <ul className="error-list">
            {a.recentErrors.map((e, i) => (
              // oxlint-disable-next-line react/no-array-index-key -- the list is append-only and never reordered
              <li key={i}>
                <strong>{errorLabel(e)}</strong>
                {isMessageError(e) ? (
                  <>
                    {' '}
                    <span className="mono">{e.folder ?? '?'}</span> UID {e.uid ?? '?'}
                  </>
                ) : null}
                : {e.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </li>
  );
}
