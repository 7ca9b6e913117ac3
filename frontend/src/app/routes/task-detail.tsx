import { useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { Button } from '@/components/ui/button';
import { QueryState } from '@/components/ui/query-state';
import { paths } from '@/config/paths';
import { formatCount, formatCountOf } from '@/lib/format';
import { useSocketStatus } from '@/lib/task-socket';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useTaskAccounts } from '@/features/accounts/api/use-task-accounts';
import { AccountFormDialog } from '@/features/accounts/components/account-form-dialog';
import { AccountsConsole } from '@/features/accounts/components/accounts-console';
import { CsvImportDialog } from '@/features/accounts/components/csv-import-dialog';
import { summarizeReadiness } from '@/features/accounts/lib/account-tests';
import type { Endpoint } from '@/features/endpoints/api/endpoint-schema';
import { useEndpoints } from '@/features/endpoints/api/get-endpoints';
import { useRuns } from '@/features/runs/api/get-runs';
import { useLiveRun } from '@/features/runs/api/use-live-run';
import { LiveProgress } from '@/features/runs/components/live-progress';
import { useRunFinished } from '@/features/runs/api/use-run-finished';
import { runTotals } from '@/features/runs/lib/live-run';
import { RunLogButton } from '@/features/runs/components/run-log-dialog';
import { RunsChart } from '@/features/runs/components/runs-chart';
import { RetryFailedButton } from '@/features/runs/components/retry-failed-button';
import { useTask } from '@/features/tasks/api/get-task';
import type { Task } from '@/features/tasks/api/task-schema';
import { DeleteTaskDialog } from '@/features/tasks/components/delete-task-dialog';
import { FolderMappingEditor } from '@/features/tasks/components/folder-mapping-editor';
import { LastRunSummary } from '@/features/tasks/components/last-run-summary';
import { ScheduleControl } from '@/features/tasks/components/schedule-control';
import { ScheduleWindowEditor } from '@/features/tasks/components/schedule-window-editor';
import { BrokenBadge, TaskStatusBadge } from '@/features/tasks/components/task-badges';
import { TaskActions } from '@/features/tasks/components/task-actions';
import { deleteTaskState, scheduleGate } from '@/features/tasks/lib/task-readiness';
import { NotFoundRoute } from '@/app/routes/not-found';

const FALLBACK_POLL_MS = 5_000;

export function TaskDetailRoute() {
  const taskId = Number(useParams().taskId);
  if (!Number.isInteger(taskId) || taskId <= 0) return <NotFoundRoute />;
  return <TaskDetail key={taskId} taskId={taskId} />;
}

function TaskDetail({ taskId }: { taskId: number }) {
  const socketUp = useSocketStatus() === 'open';
  const pollMs = socketUp ? false : FALLBACK_POLL_MS;
  const task = useTask(taskId, { pollMs });
  useDocumentTitle(task.data?.name ?? `Task #${taskId}`);

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={paths.tasks.href()}>Tasks</Link> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">{task.data?.name ?? `Task #${taskId}`}</span>
      </nav>
      <QueryState query={task} loadingLabel="Loading the task…">
        {(data) => <TaskPage task={data} socketUp={socketUp} pollMs={pollMs} />}
      </QueryState>
    </>
  );
}

function TaskPage({ task, socketUp, pollMs }: { task: Task; socketUp: boolean; pollMs: number | false }) {
  const navigate = useNavigate();
  const endpoints = useEndpoints();
  const { accounts, testingIds, isTesting, startTests } = useTaskAccounts(task.id, { fallbackPollMs: pollMs });
  const live = useLiveRun(task.id, task.last_run, { socketUp });
  const runs = useRuns(task.id, { pollMs });
  const [dialog, setDialog] = useState<'add' | 'import' | 'delete' | null>(null);
  // The schedule's reason can filter the accounts list to the accounts it names.
  const [accountsFilter, setAccountsFilter] = useState<{ testStatus: 'fail' | 'untested'; seq: number } | null>(null);
  const accountsHeading = useRef<HTMLHeadingElement>(null);
  const showAccounts = (testStatus: 'fail' | 'untested') => {
    setAccountsFilter((current) => ({ testStatus, seq: (current?.seq ?? 0) + 1 }));
    accountsHeading.current?.scrollIntoView({ block: 'start' });
    accountsHeading.current?.focus();
  };
  // The Connect flow comes back here with ?oauth=connected or ?oauth_error=<the provider's error code>.
  const [search] = useSearchParams();
  const oauthError = search.get('oauth_error');
  const oauthConnected = search.get('oauth') === 'connected';

  const accountList = accounts.data ?? [];
  // Paused accounts take no part in runs nor in the schedule's rule (docs/console.md).
  const readiness = summarizeReadiness(accountList.filter((a) => a.enabled));
  const paused = accountList.filter((a) => !a.enabled).length;
  const accountNames: Record<number, string> = {};
  for (const a of live.snapshot.data?.accounts ?? []) accountNames[a.account_id] = a.src_username;
  for (const a of accountList) accountNames[a.id] = a.src_username;
  const liveTotals = live.run ? runTotals(live.run) : null;
  useRunFinished(
    live.run ? { id: live.run.runId, status: live.run.status, copied: liveTotals?.copied ?? 0, errors: liveTotals?.errors ?? 0 } : null,
    live.isRunning,
  );
  const endpointName = (id: number) => endpoints.data?.find((e) => e.id === id)?.name ?? `server #${id}`;
  const deletable = deleteTaskState(task.status);
  const accountsLocked =
    task.status === 'running' ? 'While the run is in progress, logins can be neither tested nor changed.' : null;

  return (
    <div className="task-page" data-testid="task-detail" data-task-id={task.id}>
      {oauthError ? (
        <p className="alert alert-danger" role="alert" data-testid="oauth-error">
          The provider refused the consent ({oauthError}). Check the server’s OAuth2 settings, then press Connect
          again.
        </p>
      ) : null}
      {oauthConnected ? (
        <p className="alert alert-success" data-testid="oauth-connected">
          Consent stored. Test the account’s logins before the next run.
        </p>
      ) : null}
      <div className="page-header">
        <div>
          <h1 className="title-with-badges">
            {task.name} <TaskStatusBadge task={task} />
            {task.broken ? <BrokenBadge /> : null}
          </h1>
          <p className="muted">
            {endpointName(task.src_endpoint_id)} → {endpointName(task.dst_endpoint_id)}
          </p>
        </div>
        <div className="header-actions">
          <RunLogButton taskId={task.id} />
        </div>
      </div>

      <section className="card" aria-labelledby="run-heading">
        <header className="card-header">
          <h2 id="run-heading">Run</h2>
        </header>
        <TaskActions
          task={task}
          readiness={readiness}
          isTesting={isTesting}
          onTestStarted={() => startTests()}
        />
        <RetryFailedButton taskId={task.id} lastRun={task.last_run} running={task.status === 'running'} />
        {live.run ? (
          <LiveProgress run={live.run} accountNames={accountNames} />
        ) : (
          <p className="muted">
            {task.last_run ? (
              <LastRunSummary run={task.last_run} />
            ) : (
              'Never run. The first run copies every mailbox; later runs copy only what is new.'
            )}
          </p>
        )}
      </section>

      <div className="grid-2">
        <section className="card" aria-labelledby="schedule-heading">
          <header className="card-header">
            <h2 id="schedule-heading">Schedule</h2>
          </header>
          <ScheduleControl task={task} gate={scheduleGate(accountList)} onShowAccounts={showAccounts} />
          <ScheduleWindowEditor task={task} />
        </section>
        <section className="card" aria-labelledby="chart-heading">
          <header className="card-header">
            <h2 id="chart-heading">Recent runs</h2>
          </header>
          <QueryState query={runs} loadingLabel="Loading runs…">
            {(list) => <RunsChart runs={list} />}
          </QueryState>
        </section>
      </div>

      <section className="card" aria-labelledby="accounts-heading">
        <header className="card-header">
          <div>
            <h2 id="accounts-heading" ref={accountsHeading} tabIndex={-1}>
              Accounts
            </h2>
            {readiness.total + paused > 0 ? (
              <p className="muted small" data-testid="accounts-readiness">
                {formatCountOf(readiness.total, paused > 0 ? 'enabled account' : 'account')}: {formatCount(readiness.ok)} ready,{' '}
                {formatCount(readiness.failed)} failed, {formatCount(readiness.untested)} not tested
                {paused > 0 ? `; ${formatCount(paused)} paused` : ''}
              </p>
            ) : null}
          </div>
          <div className="header-actions">
            <Button requires="operator" onClick={() => setDialog('add')} data-testid="add-account-button">
              Add account
            </Button>
            <Button requires="operator" onClick={() => setDialog('import')} data-testid="import-csv-button">
              Import CSV
            </Button>
          </div>
        </header>
        <AccountsConsole
          taskId={task.id}
          testingIds={testingIds}
          lockedReason={accountsLocked}
          onTestStarted={(ids) => startTests(ids)}
          pollMs={pollMs}
          connectSides={consentSides(task, endpoints.data ?? [])}
          filterRequest={accountsFilter}
        />
      </section>

      <section className="card" aria-labelledby="folders-heading">
        <header className="card-header">
          <h2 id="folders-heading">Folder mapping</h2>
        </header>
        <FolderMappingEditor task={task} hasAccounts={readiness.total > 0} />
      </section>

      {/* Last on the page, so it comes after Run (and everything else) in the tab order. */}
      <section className="card card-danger" aria-labelledby="delete-heading" data-testid="delete-task-card">
        <header className="card-header">
          <h2 id="delete-heading">Delete this task</h2>
        </header>
        <p className="muted">
          Removes the task with its accounts, run log and sync state. Mail already copied stays where it is, on both
          servers.
        </p>
        <div className="action">
          <Button
            requires="operator"
            variant="danger"
            onClick={() => setDialog('delete')}
            disabled={!deletable.allowed}
            aria-describedby={deletable.allowed ? undefined : 'delete-task-reason'}
            data-testid="delete-task-button"
          >
            Delete task
          </Button>
          {deletable.reason ? (
            <p className="action-reason" id="delete-task-reason">
              {deletable.reason}
            </p>
          ) : null}
        </div>
      </section>

      <AccountFormDialog taskId={task.id} open={dialog === 'add'} account={null} onClose={() => setDialog(null)} />
      <CsvImportDialog
        taskId={task.id}
        open={dialog === 'import'}
        onClose={() => setDialog(null)}
        oauthSides={oauthSides(task, endpoints.data ?? [])}
      />
      <DeleteTaskDialog
        task={dialog === 'delete' ? task : null}
        onClose={() => setDialog(null)}
        onDeleted={() => void navigate(paths.tasks.href())}
      />
    </div>
  );
}

function sideEndpoint(task: Task, endpoints: Endpoint[], side: 'src' | 'dst'): Endpoint | undefined {
  return endpoints.find((e) => e.id === (side === 'src' ? task.src_endpoint_id : task.dst_endpoint_id));
}

/** The task's sides whose server signs in with OAuth2 (no passwords needed). */
function oauthSides(task: Task, endpoints: Endpoint[]): ('src' | 'dst')[] {
  return (['src', 'dst'] as const).filter((side) => sideEndpoint(task, endpoints, side)?.auth_mode === 'oauth2');
}

/** The task's sides whose server asks each mailbox for OAuth2 consent (the Connect button). */
function consentSides(task: Task, endpoints: Endpoint[]): ('src' | 'dst')[] {
  return oauthSides(task, endpoints).filter(
    (side) => sideEndpoint(task, endpoints, side)?.oauth2_grant === 'refresh_token',
  );
}
