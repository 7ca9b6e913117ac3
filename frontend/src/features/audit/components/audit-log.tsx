import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { DateTime } from '@/components/ui/date-time';
import { EmptyState } from '@/components/ui/empty-state';
import { Spinner } from '@/components/ui/spinner';
import { useAudit, type AuditEntry, type AuditFilters } from '@/features/audit/api/get-audit';

const NO_FILTERS: AuditFilters = { task_id: '', user: '', action: '' };

const show = (value: unknown) => JSON.stringify(value) ?? '—';

/** Only what changed between before and after, as "field: old → new". */
function changes(entry: AuditEntry): string {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  if (!entry.before && entry.after) return 'created';
  if (entry.before && !entry.after) return 'deleted';
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys
    .filter((key) => show(before[key]) !== show(after[key]) && key !== 'updated_at')
    .map((key) => `${key}: ${show(before[key])} → ${show(after[key])}`)
    .join('; ');
}

function Filters({ onApply }: { onApply: (filters: AuditFilters) => void }) {
  const id = useId();
  const [draft, setDraft] = useState(NO_FILTERS);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  const field = (name: keyof AuditFilters, label: string, placeholder: string) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        value={draft[name]}
        placeholder={placeholder}
        inputMode={name === 'task_id' ? 'numeric' : undefined}
        onChange={(e) => setDraft({ ...draft, [name]: e.target.value })}
        data-testid={`audit-filter-${name}`}
      />
    </div>
  );
  return (
    <form className="audit-filters" onSubmit={submit} data-testid="audit-filters">
      {field('task_id', 'Task id', 'any')}
      {field('user', 'User', 'any, or scheduler')}
      {field('action', 'Action', 'e.g. set_schedule')}
      <Button type="submit">Filter</Button>
    </form>
  );
}

/** Who changed what, newest first, filterable by task, user and action. */
export function AuditLog() {
  const [filters, setFilters] = useState(NO_FILTERS);
  const audit = useAudit(filters);
  const rows = audit.data?.pages.flat() ?? [];
  return (
    <section className="card">
      <Filters onApply={setFilters} />
      {audit.isPending ? <Spinner label="Loading the audit log…" /> : null}
      {audit.isError ? (
        <div className="alert alert-danger" role="alert">
          {audit.error.message}
        </div>
      ) : null}
      {audit.isSuccess && rows.length === 0 ? <EmptyState title="Nothing recorded matches these filters." /> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="audit-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>From</th>
                <th>Action</th>
                <th>Target</th>
                <th>Change</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((entry) => (
                <tr key={entry.id} data-testid="audit-row" data-action={entry.action}>
                  <td>
                    <DateTime iso={entry.at} stacked />
                  </td>
                  <td>{entry.actor}</td>
                  <td>{entry.address ?? '—'}</td>
                  <td>{entry.action}</td>
                  <td>
                    {entry.target_type ? `${entry.target_type} #${entry.target_id ?? '?'}` : '—'}
                    {entry.task_id !== null && entry.target_type !== 'task' ? (
                      <span className="muted"> (task #{entry.task_id})</span>
                    ) : null}
                  </td>
                  <td className="audit-change">{changes(entry)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {audit.hasNextPage ? (
        <Button onClick={() => void audit.fetchNextPage()} isLoading={audit.isFetchingNextPage}>
          Load older entries
        </Button>
      ) : null}
    </section>
  );
}
