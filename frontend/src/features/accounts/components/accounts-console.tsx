import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { QueryState } from '@/components/ui/query-state';
import { ApiError } from '@/lib/api-client';
import { formatCount } from '@/lib/format';
import { pushToast } from '@/lib/notifications';
import {
  PAGE_SIZE,
  useAccountPage,
  type AccountFilter,
  type AccountRow,
} from '@/features/accounts/api/account-page';
import { useBulkAccounts, useRunSelected, type BulkAction } from '@/features/accounts/api/bulk-accounts';
import { AccountsTable } from '@/features/accounts/components/accounts-table';

type Props = {
  taskId: number;
  testingIds: Set<number>;
  lockedReason: string | null;
  onTestStarted: (accountIds: number[]) => void;
  pollMs: number | false;
  /** The sides whose server signs in with an OAuth2 consent per mailbox: a Connect link each. */
  connectSides?: readonly ('src' | 'dst')[];
  /** Set the login-test filter from outside (the schedule's reason); a new `seq` applies it again. */
  filterRequest?: { testStatus: AccountFilter['testStatus']; seq: number } | null;
};

const NO_FILTER: AccountFilter = { q: '', testStatus: '', lastOutcome: '' };
const isFiltered = (f: AccountFilter) => f.q.trim() !== '' || f.testStatus !== '' || f.lastOutcome !== '';
const DONE: Record<BulkAction, string> = { test: 'Testing', pause: 'Paused', resume: 'Resumed', delete: 'Removed' };

/**
 * The accounts of a task at scale: paged by the server, searched and filtered there, with a
 * selection that survives paging and bulk actions over it (docs/console.md).
 */
export function AccountsConsole({
  taskId,
  testingIds,
  lockedReason,
  onTestStarted,
  pollMs,
  connectSides,
  filterRequest,
}: Props) {
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<AccountFilter>(NO_FILTER);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [selected, setSelected] = useState<Map<number, AccountRow>>(new Map());
  const [confirmDelete, setConfirmDelete] = useState(false);
  const page = useAccountPage(taskId, filter, cursors[cursors.length - 1] ?? null, pollMs);
  const bulk = useBulkAccounts(taskId);
  const run = useRunSelected(taskId, { onSuccess: () => pushToast('Run started for the selected accounts') });
  const locked = lockedReason !== null;

  useEffect(() => {
    const timer = window.setTimeout(() => {
      setFilter((current) => (current.q === search ? current : { ...current, q: search }));
      setCursors([null]);
    }, 300);
    return () => window.clearTimeout(timer);
  }, [search]);

  const changeFilter = (change: Partial<AccountFilter>) => {
    setFilter((current) => ({ ...current, ...change }));
    setCursors([null]);
  };
  // A new request from outside applies while rendering (React's "adjust state on a prop change").
  const [appliedRequest, setAppliedRequest] = useState(0);
  if (filterRequest && filterRequest.seq !== appliedRequest) {
    setAppliedRequest(filterRequest.seq);
    setSearch('');
    setFilter({ ...NO_FILTER, testStatus: filterRequest.testStatus });
    setCursors([null]);
  }
  const select = (rows: AccountRow[], on: boolean) =>
    setSelected((current) => {
      const next = new Map(current);
      for (const row of rows) {
        if (on) next.set(row.id, row);
        else next.delete(row.id);
      }
      return next;
    });
  const ids = [...selected.keys()];
  const enabledIds = [...selected.values()].filter((a) => a.enabled).map((a) => a.id);

  const apply = (action: BulkAction, targets: number[], singular?: string) =>
    bulk.mutate(
      { action, ids: targets },
      {
        onSuccess: (refused) => {
          const done = targets.length - refused.length;
          const what = singular ?? `${formatCount(done)} account${done === 1 ? '' : 's'}`;
          pushToast(refused.length ? `${DONE[action]} ${what}; ${refused.length} refused` : `${DONE[action]} ${what}`);
          if (action === 'test') onTestStarted(targets);
          if (action === 'delete') setSelected(new Map());
          setConfirmDelete(false);
        },
      },
    );
  const runSelected = () =>
    run.mutate(
      enabledIds,
      { onError: (error) => pushToast(error instanceof ApiError ? error.message : 'The run did not start', 'info') },
    );
  const failedOnly = filter.lastOutcome === 'failed';
  const data = page.data;
  const first = (cursors.length - 1) * PAGE_SIZE;

  return (
    <div className="accounts-console" data-testid="accounts-console">
      <search className="toolbar">
        <input
          type="search"
          className="input"
          placeholder="Search source or destination user"
          aria-label="Search accounts"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          data-testid="accounts-search"
        />
        <select
          className="input"
          aria-label="Filter by login test"
          value={filter.testStatus}
          onChange={(event) => changeFilter({ testStatus: event.target.value as AccountFilter['testStatus'] })}
          data-testid="accounts-filter-test"
        >
          <option value="">Any login test</option>
          <option value="ok">Tested OK</option>
          <option value="fail">Login failed</option>
          <option value="untested">Not tested</option>
        </select>
        <select
          className="input"
          aria-label="Filter by last run"
          value={filter.lastOutcome}
          onChange={(event) => changeFilter({ lastOutcome: event.target.value as AccountFilter['lastOutcome'] })}
          data-testid="accounts-filter-outcome"
        >
          <option value="">Any last run</option>
          <option value="done">Done</option>
          <option value="done_with_errors">Done with errors</option>
          <option value="failed">Failed</option>
          <option value="never">Never run</option>
        </select>
        <Button
          aria-pressed={failedOnly}
          onClick={() => changeFilter({ lastOutcome: failedOnly ? '' : 'failed' })}
          data-testid="accounts-failed-only"
        >
          Failed only
        </Button>
      </search>
      {ids.length > 0 ? (
        <section className="toolbar bulk-bar" aria-label="Selected accounts" data-testid="bulk-bar">
          <span className="strong" data-testid="selected-count">
            {formatCount(ids.length)} selected
          </span>
          {/* aria-busy, not disabled, while it starts: a disabled button would drop the keyboard focus */}
          <Button size="sm" variant="primary" onClick={() => (run.isPending ? undefined : runSelected())}
            disabled={locked || enabledIds.length === 0} aria-busy={run.isPending || undefined} data-testid="bulk-run">
            Run selected
          </Button>
          <Button size="sm" onClick={() => apply('test', ids)} disabled={locked || bulk.isPending} data-testid="bulk-test">
            Test
          </Button>
          <Button size="sm" onClick={() => apply('pause', ids)} disabled={bulk.isPending} data-testid="bulk-pause">
            Pause
          </Button>
          <Button size="sm" onClick={() => apply('resume', ids)} disabled={bulk.isPending} data-testid="bulk-resume">
            Resume
          </Button>
          <Button size="sm" onClick={() => setSelected(new Map())} data-testid="bulk-clear">
            Clear selection
          </Button>
          <Button size="sm" variant="danger" onClick={() => setConfirmDelete(true)} disabled={locked || bulk.isPending}
            data-testid="bulk-delete">
            Delete
          </Button>
        </section>
      ) : null}
      <QueryState query={page} loadingLabel="Loading accounts…">
        {(current) => (
          <AccountsTable
            taskId={taskId}
            accounts={current.rows}
            testingIds={testingIds}
            lockedReason={lockedReason}
            onTestStarted={onTestStarted}
            connectSides={connectSides}
            selected={new Set(ids)}
            onSelect={select}
            onSetEnabled={(account, enabled) =>
              apply(enabled ? 'resume' : 'pause', [account.id], account.src_username)
            }
            emptyText={isFiltered(filter) ? 'No account matches the search and filters.' : undefined}
          />
        )}
      </QueryState>
      {data && data.total > 0 ? (
        <nav className="pager" aria-label="Accounts pages">
          <span className="small muted" data-testid="accounts-range" aria-live="polite">
            {formatCount(first + 1)}–{formatCount(first + data.rows.length)} of {formatCount(data.total)}
          </span>
          <Button size="sm" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}
            data-testid="accounts-previous">
            Previous
          </Button>
          <Button size="sm" disabled={!data.nextCursor} onClick={() => setCursors((c) => [...c, data.nextCursor])}
            data-testid="accounts-next">
            Next
          </Button>
        </nav>
      ) : null}
      <ConfirmDialog
        open={confirmDelete}
        title={`Remove ${formatCount(ids.length)} selected account${ids.length === 1 ? '' : 's'}?`}
        confirmLabel="Remove accounts"
        isPending={bulk.isPending}
        onConfirm={() => apply('delete', ids)}
        onClose={() => setConfirmDelete(false)}
      >
        <p>They leave this task with their run results. Mail already copied stays where it is, on both servers.</p>
      </ConfirmDialog>
    </div>
  );
}
