import { useId, useMemo, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryState } from '@/components/ui/query-state';
import { ApiError } from '@/lib/api-client';
import { formatBytes, formatCount, formatCountOf } from '@/lib/format';
import { pushToast } from '@/lib/notifications';
import { useBlockedReason } from '@/lib/role';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { usePlan, type Plan, type PlanFolder } from '@/features/tasks/api/get-plan';
import { useFolderRulesPreview, type FolderRulesPreviewInput } from '@/features/tasks/api/preview-folder-rules';
import type { Task } from '@/features/tasks/api/task-schema';
import { useUpdateFolderMapping } from '@/features/tasks/api/update-folder-mapping';
import { FolderRulesFields } from '@/features/tasks/components/folder-rules-fields';
import {
  folderMappingPayload,
  isSameMapping,
  parsePatterns,
  rowsFromPlan,
  ruleWords,
  type FolderRow,
} from '@/features/tasks/lib/folder-mapping';
import { mappingProblems, type DestinationLayout } from '@/features/tasks/lib/folder-names';

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
                // Drawn afresh from a new plan, or when the saved settings change (a save: the plan
                // and the task are read again, in either order).
                key={`${plan.dataUpdatedAt}:${savedKey(task)}`}
                task={task}
                plan={data}
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

const savedKey = (task: Task): string =>
  JSON.stringify([task.folder_mapping, task.exclude_folders, task.folder_include, task.folder_exclude]);

type TableProps = { task: Task; plan: Plan; onReload: () => void; isReloading: boolean };

const reasonLabels: Record<string, string> = {
  explicit: 'mapped by you',
  'special-use': 'special-use',
  inbox: 'inbox',
  translated: 'same name',
};

/** Why the folder goes where it goes, and whether the destination must be created. */
function FolderNotes({ folder, copied }: { folder: PlanFolder | undefined; copied: boolean }) {
  if (!folder || !copied) return null;
  const reason = folder.reason ? reasonLabels[folder.reason] : undefined;
  return (
    <span className="badge-group">
      {reason && !folder.excluded ? <Badge tone={folder.reason === 'explicit' ? 'info' : 'neutral'}>{reason}</Badge> : null}
      {folder.destination_exists === false && !folder.excluded ? <Badge tone="warning">will be created</Badge> : null}
    </span>
  );
}

/** Per row and per rule line, the messages of a refused save (fields `folder_mapping.<source>`, `folder_include.<i>`). */
function serverFields(error: unknown): Record<string, string> {
  return error instanceof ApiError && error.status === 422 ? error.fields : {};
}

/** The messages for one rule box, from the preview's or the save's 422 (`include.<i>` / `folder_include.<i>`). */
function patternErrors(fields: Record<string, string>, names: string[], lines: number[]): string[] {
  const found: string[] = [];
  for (const [field, message] of Object.entries(fields)) {
    for (const name of names) {
      if (field === name) found.push(message);
      const index = field.startsWith(`${name}.`) ? Number(field.slice(name.length + 1)) : Number.NaN;
      if (Number.isInteger(index)) found.push(`Line ${lines[index] ?? index + 1}: ${message}`);
    }
  }
  return found;
}

function MappingTable({ task, plan, onReload, isReloading }: TableProps) {
  const folders = plan.folders;
  const idPrefix = useId();
  const [rows, setRows] = useState<FolderRow[]>(() => rowsFromPlan(folders, task.folder_mapping, task.exclude_folders));
  const [includeText, setIncludeText] = useState(() => (task.folder_include ?? []).join('\n'));
  const [excludeText, setExcludeText] = useState(() => (task.folder_exclude ?? []).join('\n'));
  const save = useUpdateFolderMapping(task.id, { onSuccess: () => pushToast('Folder mapping saved') });
  const include = parsePatterns(includeText);
  const exclude = parsePatterns(excludeText);
  const payload = folderMappingPayload(rows, task.folder_mapping, task.exclude_folders, {
    folder_include: include.patterns,
    folder_exclude: exclude.patterns,
  });

  // The preview asks the server (Python's `re`, as a run decides) once typing pauses.
  const previewKey = JSON.stringify({
    include: include.patterns,
    exclude: exclude.patterns,
    folders: folders.map((f) => f.source),
    separator: plan.src_separator ?? '/',
    exclude_folders: payload.exclude_folders,
  } satisfies FolderRulesPreviewInput);
  const settledKey = useDebouncedValue(previewKey, 300);
  const previewInput = useMemo(() => JSON.parse(settledKey) as FolderRulesPreviewInput, [settledKey]);
  const preview = useFolderRulesPreview(task.id, previewInput, useBlockedReason() === null);
  const previewing = settledKey !== previewKey || preview.isFetching;
  const decisions = new Map((preview.data?.folders ?? []).map((f) => [f.name, f]));
  // The Exclude boxes are known here at once; what the rules decide comes from the preview.
  const copied = (row: FolderRow): boolean =>
    !row.excluded && row.planExcludedBy !== 'provider' && (decisions.get(row.source)?.copied ?? row.planExcludedBy === null);

  const layout: DestinationLayout = {
    separator: plan.dst_separator ?? '',
    prefix: plan.dst_prefix ?? '',
    otherPrefixes: plan.dst_other_prefixes ?? [],
  };
  const problems = mappingProblems(
    rows.map((r) => ({ ...r, copied: copied(r) })),
    layout,
  );
  const saved = serverFields(save.error);
  const rulesFields = { ...serverFields(preview.error), ...saved };
  const includeErrors = patternErrors(rulesFields, ['include', 'folder_include'], include.lines);
  const excludeErrors = patternErrors(rulesFields, ['exclude', 'folder_exclude'], exclude.lines);
  const byName = new Map(folders.map((f) => [f.source, f]));
  const hidden = Object.keys(task.folder_mapping).filter((src) => !byName.has(src)).length;
  const saveBlocker =
    task.status === 'running'
      ? 'A run is in progress; it read the mapping when it started. Save once it has finished.'
      : problems.size > 0
        ? `${formatCountOf(problems.size, 'destination name')} refused: fix ${problems.size === 1 ? 'it' : 'them'} before saving.`
        : includeErrors.length + excludeErrors.length > 0
          ? 'A folder rule is not a valid regular expression: fix it before saving.'
          : isSameMapping(payload, task)
            ? 'No changes to save.'
            : null;

  const patch = (source: string, change: Partial<FolderRow>) => {
    save.reset();
    setRows((current) => current.map((r) => (r.source === source ? { ...r, ...change } : r)));
  };
  const editRules = (set: (text: string) => void) => (text: string) => {
    save.reset();
    set(text);
  };

  return (
    <>
      <FolderRulesFields
        idPrefix={`${idPrefix}-rules`}
        includeText={includeText}
        excludeText={excludeText}
        onIncludeChange={editRules(setIncludeText)}
        onExcludeChange={editRules(setExcludeText)}
        includeErrors={includeErrors}
        excludeErrors={excludeErrors}
        preview={preview.data}
        isPreviewing={previewing}
      />
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
            {rows.map((row, index) => {
              const folder = byName.get(row.source);
              const isCopied = copied(row);
              const decision = decisions.get(row.source);
              const ruleOut = !isCopied && !row.excluded ? (row.planExcludedBy === 'provider' ? 'provider' : decision?.decided_by) : null;
              const problem = problems.get(row.source) ?? saved[`folder_mapping.${row.source}`];
              const inputId = `${idPrefix}-dest-${index}`;
              const errorId = `${inputId}-error`;
              return (
                <tr
                  key={row.source}
                  data-testid="folder-row"
                  data-folder={row.source}
                  data-copied={isCopied}
                  data-plan-excluded-by={row.planExcludedBy ?? undefined}
                  className={isCopied ? undefined : 'row-muted'}
                >
                  <td>
                    <span className="mono">{row.source}</span> <FolderNotes folder={folder} copied={isCopied} />
                    {ruleOut ? (
                      <span className="badge-group">
                        <Badge tone="neutral" data-testid="folder-left-out">
                          left out: {ruleWords(ruleOut)}
                        </Badge>
                      </span>
                    ) : null}
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
                      disabled={!isCopied}
                      onChange={(event) => patch(row.source, { destination: event.target.value })}
                      aria-invalid={problem ? true : undefined}
                      aria-describedby={problem ? errorId : undefined}
                      data-testid="folder-destination"
                    />
                    {problem ? (
                      <p className="field-error" id={errorId} data-testid="folder-destination-error">
                        {problem}
                      </p>
                    ) : null}
                    {isCopied && !row.destination.trim() && folder?.note ? (
                      <p className="field-hint" data-testid="folder-note">
                        {folder.note}
                      </p>
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
        are matched on both sides). A destination is a full name as the destination server writes it
        {layout.separator ? ` (levels separated by “${layout.separator}”` : ''}
        {layout.prefix ? `, under “${layout.prefix}”)` : layout.separator ? ')' : ''}; two folders never share one.
        {hidden > 0
          ? ` ${hidden === 1 ? 'One mapping' : `${hidden} mappings`} for folders not in this account ${hidden === 1 ? 'is' : 'are'} kept.`
          : ''}
      </p>
      <div className="form-actions">
        {saveBlocker ? (
          <span className="action-reason" id="save-folder-mapping-reason" data-testid="save-folder-mapping-reason">
            {saveBlocker}
          </span>
        ) : null}
        <Button onClick={onReload} isLoading={isReloading}>
          Reload folders
        </Button>
        <Button
          requires="operator"
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
