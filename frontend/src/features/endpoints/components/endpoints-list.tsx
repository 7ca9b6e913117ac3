import { useState, type ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryState } from '@/components/ui/query-state';
import { pushToast } from '@/lib/notifications';
import { useDeleteEndpoint } from '@/features/endpoints/api/delete-endpoint';
import { tlsModeLabels, type Endpoint } from '@/features/endpoints/api/endpoint-schema';
import { useEndpoints } from '@/features/endpoints/api/get-endpoints';
import { EndpointFormDialog } from '@/features/endpoints/components/endpoint-form-dialog';

type Props = {
  /** Names of the tasks that use a server; null while they are not known. */
  usedBy: ((endpointId: number) => string[]) | null;
  /** What to do once the servers are in (shown under the list). */
  nextStep: ReactNode;
};

export function EndpointsList({ usedBy, nextStep }: Props) {
  const endpoints = useEndpoints();
  const [editing, setEditing] = useState<Endpoint | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Endpoint | null>(null);
  const remove = useDeleteEndpoint();
  const confirmDelete = (endpoint: Endpoint) =>
    remove.mutate(endpoint.id, {
      onSuccess: () => {
        pushToast(`Server “${endpoint.name}” deleted`);
        setDeleting(null);
      },
    });

  return (
    <section className="card" aria-labelledby="endpoints-heading">
      <header className="card-header">
        <div>
          <h2 id="endpoints-heading">IMAP servers</h2>
          <p className="muted">The old and the new mail servers that tasks copy between.</p>
        </div>
        <Button requires="operator" variant="primary" onClick={() => setEditing('new')} data-testid="add-endpoint-button">
          Add server
        </Button>
      </header>
      <QueryState
        query={endpoints}
        loadingLabel="Loading servers…"
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState title="Add your old and new IMAP servers" testId="endpoints-empty">
            <p>The server you migrate from and the one you migrate to: a task then copies mailboxes between them.</p>
            <Button requires="operator" variant="primary" onClick={() => setEditing('new')} data-testid="add-endpoint-empty-button">
              Add the first server
            </Button>
          </EmptyState>
        }
      >
        {(list) => (
          <>
            <div className="table-wrap">
              <table className="table table-stack" data-testid="endpoints-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Address</th>
                    <th scope="col">Security</th>
                    <th scope="col">Certificate</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((endpoint) => (
                    <EndpointRow
                      key={endpoint.id}
                      endpoint={endpoint}
                      users={usedBy?.(endpoint.id) ?? []}
                      onEdit={() => setEditing(endpoint)}
                      onDelete={() => setDeleting(endpoint)}
                    />
                  ))}
                </tbody>
              </table>
            </div>
            {list.length === 1 || nextStep ? (
              <p className="next-step" data-testid="endpoints-next-step">
                {list.length === 1 ? 'A task copies between two servers: add the other one too.' : nextStep}
              </p>
            ) : null}
          </>
        )}
      </QueryState>
      <EndpointFormDialog
        open={editing !== null}
        endpoint={editing === 'new' ? null : editing}
        usedBy={editing && editing !== 'new' ? (usedBy?.(editing.id) ?? []) : []}
        onClose={() => setEditing(null)}
      />
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete the server “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete server"
        isPending={remove.isPending}
        onConfirm={() => deleting && confirmDelete(deleting)}
        onClose={() => setDeleting(null)}
      >
        <p>
          <strong>{deleting?.name}</strong> ({deleting?.host}:{deleting?.port}) disappears from IMAP Copier. Nothing
          changes on the server itself.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function usageText(names: string[]): string {
  return names.length === 1 ? `Used by “${names[0]}”` : `Used by ${names.length} tasks`;
}

type RowProps = { endpoint: Endpoint; users: string[]; onEdit: () => void; onDelete: () => void };

/** A server used by a task cannot be deleted (the API answers 409): the button says so before the click. */
function EndpointRow({ endpoint, users, onEdit, onDelete }: RowProps) {
  const reasonId = `endpoint-${endpoint.id}-delete-reason`;
  const inUse = users.length > 0;
  return (
    <tr data-testid="endpoint-row" data-endpoint-id={endpoint.id}>
      <td className="strong" data-label="Name">
        {endpoint.name}
      </td>
      <td className="mono" data-label="Address">
        {endpoint.host}:{endpoint.port}
      </td>
      <td data-label="Security">{tlsModeLabels[endpoint.tls_mode]}</td>
      <td data-label="Certificate">
        {endpoint.tls_mode === 'plain' ? (
          <span className="muted">n/a</span>
        ) : endpoint.verify_tls ? (
          <Badge tone="success">verified</Badge>
        ) : (
          <Badge tone="warning">not verified</Badge>
        )}
      </td>
      <td className="row-actions">
        <Button requires="operator" size="sm" onClick={onEdit} aria-label={`Edit ${endpoint.name}`}>
          Edit
        </Button>
        <Button requires="operator"
          size="sm"
          variant="danger"
          onClick={onDelete}
          disabled={inUse}
          aria-label={`Delete ${endpoint.name}`}
          aria-describedby={inUse ? reasonId : undefined}
          data-testid="delete-endpoint-button"
        >
          Delete
        </Button>
        {inUse ? (
          <p className="action-reason row-reason" id={reasonId} title={users.join(', ')}>
            {usageText(users)}
          </p>
        ) : null}
      </td>
    </tr>
  );
}
