import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '@/components/ui/button';
import { paths } from '@/config/paths';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useTaskEvents } from '@/lib/task-events';
import { useSocketStatus } from '@/lib/task-socket';
import { useEndpoints } from '@/features/endpoints/api/get-endpoints';
import { useTasks } from '@/features/tasks/api/get-tasks';
import { CreateTaskDialog } from '@/features/tasks/components/create-task-dialog';
import { TasksList } from '@/features/tasks/components/tasks-list';

const FALLBACK_POLL_MS = 5_000;

export function TasksRoute() {
  const navigate = useNavigate();
  const endpoints = useEndpoints();
  const socketUp = useSocketStatus() === 'open';
  const pollMs = socketUp ? false : FALLBACK_POLL_MS;
  const tasks = useTasks({ pollMs });
  const [creating, setCreating] = useState(false);
  useDocumentTitle('Tasks');
  // Live status changes (run started/finished, broken) refresh the list.
  useTaskEvents(tasks.data?.map((t) => t.id) ?? []);

  const names = new Map((endpoints.data ?? []).map((e) => [e.id, e.name]));
  const endpointName = (id: number) => names.get(id) ?? `server #${id}`;
  const noServers = endpoints.isSuccess && endpoints.data.length === 0;

  const empty = noServers
    ? {
        title: 'Add your old and new IMAP servers',
        body: (
          <>
            <p>A task copies mailboxes from one server to another, so both servers come first.</p>
            <Link className="btn btn-primary" to={paths.endpoints.href()} data-testid="add-servers-link">
              Add servers
            </Link>
          </>
        ),
      }
    : {
        title: 'No migration tasks yet',
        body: (
          <>
            <p>Create a task, add the accounts to copy, test their logins, then run it.</p>
            <Button requires="operator"
              variant="primary"
              onClick={() => setCreating(true)}
              disabled={!endpoints.isSuccess}
              data-testid="add-task-empty-button"
            >
              New task
            </Button>
          </>
        ),
      };

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Migration tasks</h1>
          <p className="muted">Each task copies a list of accounts from a source server to a destination server.</p>
        </div>
        <div className="action">
          <Button requires="operator"
            variant="primary"
            onClick={() => setCreating(true)}
            disabled={!endpoints.isSuccess || noServers}
            aria-describedby={noServers ? 'new-task-reason' : undefined}
            data-testid="add-task-button"
          >
            New task
          </Button>
          {noServers ? (
            <p className="action-reason" id="new-task-reason">
              <Link to={paths.endpoints.href()}>Add the source and destination servers</Link> first.
            </p>
          ) : null}
        </div>
      </div>
      <section className="card" aria-label="Tasks">
        <TasksList endpointName={endpointName} pollMs={pollMs} empty={empty} />
      </section>
      <CreateTaskDialog
        open={creating}
        endpoints={endpoints.data ?? []}
        onClose={() => setCreating(false)}
        onCreated={(task) => void navigate(paths.task.href(task.id))}
      />
    </>
  );
}
