import { Link } from 'react-router';
import { paths } from '@/config/paths';
import { useDocumentTitle } from '@/lib/use-document-title';
import { EndpointsList } from '@/features/endpoints/components/endpoints-list';
import { useTasks } from '@/features/tasks/api/get-tasks';

export function EndpointsRoute() {
  useDocumentTitle('Servers');
  const tasks = useTasks();
  const taskList = tasks.data ?? [];
  // A server a task uses cannot be deleted (the API answers 409): say so before the click.
  const usedBy = (endpointId: number) =>
    taskList.filter((t) => t.src_endpoint_id === endpointId || t.dst_endpoint_id === endpointId).map((t) => t.name);

  return (
    <>
      <div className="page-header">
        <h1>Servers</h1>
      </div>
      <EndpointsList
        usedBy={tasks.isSuccess ? usedBy : null}
        nextStep={
          tasks.isSuccess && taskList.length === 0 ? (
            <>
              Next: <Link to={paths.tasks.href()}>create a migration task</Link> that copies accounts from one server
              to the other.
            </>
          ) : null
        }
      />
    </>
  );
}
