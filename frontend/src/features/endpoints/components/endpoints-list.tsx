import { useState } from 'react';
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

export function EndpointsList() {
  const endpoints = useEndpoints();
  const [editing, setEditing] = useState<Endpoint | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Endpoint | null>(null);
  const remove = useDeleteEndpoint({
    onSuccess: () => {
      pushToast('Server deleted');
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
        <Button variant="primary" onClick={() => setEditing('new')} data-testid="add-endpoint-button">
          Add server
        </Button>
      </header>
      <QueryState
        query={endpoints}
        loadingLabel="Loading servers…"
        isEmpty={(list) => list.length === 0}
        empty={
          <EmptyState title="No servers yet" testId="endpoints-empty">
            Add the server you migrate from and the one you migrate to.
          </EmptyState>
        }
      >
        {(list) => (
          <div className="table-wrap">
            <table className="table" data-testid="endpoints-table">
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
                  <tr key={endpoint.id} data-testid="endpoint-row" data-endpoint-id={endpoint.id}>
                    <td className="strong">{endpoint.name}</td>
                    <td className="mono">
                      {endpoint.host}:{endpoint.port}
                    </td>
                    <td>{tlsModeLabels[endpoint.tls_mode]}</td>
                    <td>
                      {endpoint.tls_mode === 'plain' ? (
                        <span className="muted">n/a</span>
                      ) : endpoint.verify_tls ? (
                        <Badge tone="success">verified</Badge>
                      ) : (
                        <Badge tone="warning">not verified</Badge>
                      )}
                    </td>
                    <td className="row-actions">
                      <Button size="sm" onClick={() => setEditing(endpoint)} aria-label={`Edit ${endpoint.name}`}>
                        Edit
                      </Button>
                      <Button
                        size="sm"
                        variant="danger"
                        onClick={() => setDeleting(endpoint)}
                        aria-label={`Delete ${endpoint.name}`}
                        data-testid="delete-endpoint-button"
                      >
                        Delete
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <EndpointFormDialog
        open={editing !== null}
        endpoint={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
      />
      <ConfirmDialog
        open={deleting !== null}
        title="Delete server?"
        confirmLabel="Delete server"
        isPending={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onClose={() => setDeleting(null)}
      >
        <p>
          Delete <strong>{deleting?.name}</strong>? Tasks that use it must be deleted first.
        </p>
      </ConfirmDialog>
    </section>
  );
}
