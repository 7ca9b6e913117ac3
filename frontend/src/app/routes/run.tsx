import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { paths } from '@/config/paths';
import { QueryState } from '@/components/ui/query-state';
import { useDocumentTitle } from '@/lib/use-document-title';
import { NotFoundRoute } from '@/app/routes/not-found';
import { useTask } from '@/features/tasks/api/get-task';
import { getRunQueryOptions } from '@/features/runs/api/get-run';
import { RunPage } from '@/features/runs/components/run-page';

const RUNNING_POLL_MS = 5000;

export function RunRoute() {
  const runId = Number(useParams().runId);
  if (!Number.isInteger(runId) || runId <= 0) return <NotFoundRoute />;
  return <RunLogRoute key={runId} runId={runId} />;
}

function RunLogRoute({ runId }: { runId: number }) {
  // A run still going is polled, so its page fills in as accounts finish.
  const detail = useQuery({
    ...getRunQueryOptions(runId),
    refetchInterval: (q) => (q.state.data?.run.status === 'running' ? RUNNING_POLL_MS : false),
  });
  const taskId = detail.data?.run.task_id ?? null;
  const task = useTask(taskId ?? 0, { enabled: taskId !== null });
  const taskName = task.data?.name ?? (taskId !== null ? `Task #${taskId}` : null);
  useDocumentTitle(`Run #${runId}${taskName ? ` · ${taskName}` : ''}`);
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={paths.tasks.href()}>Tasks</Link> <span aria-hidden="true">/</span>{' '}
        {taskId !== null ? (
          <>
            <Link to={paths.task.href(taskId)}>{taskName}</Link> <span aria-hidden="true">/</span>{' '}
          </>
        ) : null}
        <span aria-current="page">Run #{runId}</span>
      </nav>
      <div className="page-header">
        <h1>Run #{runId}</h1>
      </div>
      <QueryState query={detail} loadingLabel="Loading the run…">
        {(d) => <RunPage detail={d} />}
      </QueryState>
    </>
  );
}
