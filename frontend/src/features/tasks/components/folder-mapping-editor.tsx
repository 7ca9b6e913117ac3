import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryState } from '@/components/ui/query-state';
import { formatBytes, formatCount } from '@/lib/format';
import { pushToast } from '@/lib/notifications';
import { usePlan, type PlanFolder } from '@/features/tasks/api/get-plan';
import type { Task } from '@/features/tasks/api/task-schema';
import { useUpdateFolderMapping } from '@/features/tasks/api/update-folder-mapping';
import {
  duplicateDestinations,
  folderMappingPayload,
  isSameMapping,
  rowsFromPlan,
  type FolderRow,
} from '@/features/tasks/lib/folder-mapping';

type Props = { task: Task; hasAccounts: boolean };

/** Folders found by a dry-run plan, where each goes, and which to skip. */
export function FolderMappingEditor({ task, hasAccounts }: Props) {
  const [requested, setRequested] = useState(false);
  const plan = usePlan(task.id, { enabled: requested });

  return (
    <div className="folder-mapping" data-testid="folder-mapping">
      {!requested ? (
        <div className="inline-cta">
          <p className="muted">
            Read the folder list from the first account to see where each folder will be copied, rename destinations or
            exclude folders.
          </p>
          <Button
            onClick={() => setRequested(true)}
            disabled={!hasAccounts}
            aria-describedby={hasAccounts ? undefined : 'load-plan-reason'}
            data-testid="load-plan-button"
          >
            Load folders
          </Button>
          {hasAccounts ? null : (
            <p className="action-reason" id="load-plan-reason">
              Add an account first.
            </p>
          )}
        </div>
      ) : (
        <QueryState
          query={plan}
          loadingLabel="Reading folders from the servers… this can take a few seconds."
          isEmpty={(data) => data.folders.length === 0}
          empty={<EmptyState title="The source account has no folders" />}
        >
          {(data) => (
            <>
              {data.quota ? (
                <p className={`field-hint ${data.quota.warning ? 'text-warning' : ''}`} data-testid="plan-quota">
                  Destination quota: {formatBytes(data.quota.free_bytes)} free of {formatBytes(data.quota.limit_bytes)}.
                  {data.quota.warning ? ` Warning: ${data.quota.warning}.` : ''}
                </p>
              ) : null}
              {(data.warnings ?? []).map((w) => (
                <p key={w.kind} className="field-hint text-warning" data-testid="plan-warning">
                  Warning: {w.message}.
                </p>
              ))}
              <MappingTable
                key={plan.dataUpdatedAt}
                task={task}
                folders={data.folders}
                onReload={() => void plan.refetch()}
                isReloading={plan.isFetching}
              />
            </>
          )}
        </QueryState>
      )}
    </div>
  );
}

type TableProps = { task: Task; folders: PlanFolder[]; onReload: () => void; isReloading: boolean };

const reasonLabels: Record<string, string> = {
  explicit: 'mapped by you',
  'special-use': 'special-use',
  inbox: 'inbox',
  translated: 'same name',
};

/** Why the folder goes where it goes, and whether the destination must be created. */
function FolderNotes({ folder }: { folder: PlanFolder | undefined }) {
  if (!folder) return null;
  const reason = folder.reason ? reasonLabels[folder.reason] : undefined;
  return (
    <span className="badge-group">
      {reason && !folder.excluded ? <Badge tone={folder.reason === 'explicit' ? 'info' : 'neutral'}>{reason}</Badge> : null}
      {folder.destination_exists === false && !folder.excluded ? <Badge tone="warning">will be created</Badge> : null}
    </span>
  );
}

function MappingTable({ task, folders, onReload, isReloading }: TableProps) {
  const [rows, setRows] = useState<FolderRow[]>(() =>
    rowsFromPlan(folders, task.folder_mapping, task.exclude_folders),
  );
  const save = useUpdateFolderMapping(task.id, { onSuccess: () => pushToast('Folder mapping saved') });
  const dupes = duplicateDestinations(rows);
  const byName = new Map(folders.map((f) => [f.source, f]));
  const hidden = Object.keys(task.folder_mapping).filter((src) => !byName.has(src)).length;
  const payload = folderMappingPayload(rows, task.folder_mapping, task.exclude_folders);
  const saveBlocker =
    task.status === 'running'
      ? 'A run is in progress; it read the mapping when it started. Save once it has finished.'
      : isSameMapping(payload, task.folder_mapping, task.exclude_folders)
        ? 'No changes to save.'
        : null;

  const patch = (source: string, change: Partial<FolderRow>) =>
    setRows((current) => current.map((r) => (r.source === source ? { ...r, ...change } : r)));

  return (
    <>
      <div className="table-wrap">
        <table className="table table-compact table-stack" data-testid="folder-mapping-table">
          <thead>
            <tr>
              <th scope="col">Source folder</th>
              <th scope="col" className="num">
                Messages
              </th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">Destination folder</th>
              <th scope="col">Exclude</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const folder = byName.get(row.source);
              const target = row.destination.trim() || row.plannedDestination;
              const inputId = `dest-${row.source}`;
              return (
                <tr key={row.source} data-testid="folder-row" data-folder={row.source} className={row.excluded ? 'row-muted' : undefined}>
                  <td>
                    <span className="mono">{row.source}</span> <FolderNotes folder={folder} />
                  </td>
                  <td className="num" data-label="Messages">
                    {formatCount(folder?.messages)}
                  </td>
                  <td className="num" data-label="Size">
                    {formatBytes(folder?.bytes)}
                  </td>
                  <td data-label="Destination folder">
                    <label className="visually-hidden" htmlFor={inputId}>
                      Destination for {row.source}
                    </label>
                    <input
                      id={inputId}
                      className="input-compact mono"
                      value={row.destination}
                      placeholder={row.plannedDestination}
                      disabled={row.excluded}
                      onChange={(event) => patch(row.source, { destination: event.target.value })}
                      data-testid="folder-destination"
                    />
                    {!row.excluded && !row.destination.trim() && folder?.note ? (
                      <p className="field-hint" data-testid="folder-note">
                        {folder.note}
                      </p>
                    ) : null}
                    {!row.excluded && dupes.has(target) ? (
                      <p className="field-hint text-warning">Another folder also goes to {target}; they will be merged.</p>
                    ) : null}
                  </td>
                  <td data-label="Exclude">
                    <input
                      type="checkbox"
                      aria-label={`Exclude ${row.source}`}
                      checked={row.excluded}
                      onChange={(event) => patch(row.source, { excluded: event.target.checked })}
                      data-testid="folder-exclude"
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="field-hint">
        Leave a destination empty to use the automatic mapping shown in grey (special-use folders such as Sent or Trash
        are matched on both sides).
        {hidden > 0
          ? ` ${hidden === 1 ? 'One mapping' : `${hidden} mappings`} for folders not in this account ${hidden === 1 ? 'is' : 'are'} kept.`
          : ''}
      </p>
      <div className="form-actions">
        {saveBlocker ? (
          <span className="action-reason" id="save-folder-mapping-reason">
            {saveBlocker}
          </span>
        ) : null}
        <Button onClick={onReload} isLoading={isReloading}>
          Reload folders
        </Button>
        <Button requires="operator"
          variant="primary"
          isLoading={save.isPending}
          disabled={saveBlocker !== null}
          aria-describedby={saveBlocker ? 'save-folder-mapping-reason' : undefined}
          onClick={() => save.mutate(payload)}
          data-testid="save-folder-mapping"
        >
          Save folder mapping
        </Button>
      </div>
    </>
  );
}
