// Per-folder progress of an account during a run, folded from its plan, folder and progress
// events (docs/console.md, "Per-folder live view"). Counts are the worker's; nothing is estimated.
import type { FolderData, PlanData, ProgressData } from '@/client/types.gen';

export type FolderProgress = {
  folder: string;
  dst: string;
  state: 'planned' | 'running' | 'done';
  /** Messages the run will look at in this folder (the plan's pending, else its count). */
  planned: number | null;
  copied: number;
  skipped: number;
  errors: number;
  /** The folder's final status once done (ok, unchanged, partial, failed, cancelled). */
  status: string | null;
};

const fresh = (folder: string, dst: string, planned: number | null): FolderProgress => ({
  folder,
  dst,
  state: 'planned',
  planned,
  copied: 0,
  skipped: 0,
  errors: 0,
  status: null,
});

function update(folders: FolderProgress[], name: string, dst: string | null, change: (f: FolderProgress) => FolderProgress) {
  const i = folders.findIndex((f) => f.folder === name);
  if (i < 0) return [...folders, change(fresh(name, dst ?? name, null))];
  const next = [...folders];
  next[i] = change(folders[i] as FolderProgress);
  return next;
}

export function foldersFromPlan(plan: PlanData): FolderProgress[] {
  return plan.folders.map((f) => fresh(f.src, f.dst, f.pending ?? f.messages));
}

export function foldersAfterFolderEvent(folders: FolderProgress[], d: FolderData): FolderProgress[] {
  return update(folders, d.folder, d.dst_folder, (f) =>
    d.state === 'started'
      ? { ...f, state: f.state === 'done' ? 'done' : 'running' }
      : {
          ...f,
          state: 'done',
          copied: Math.max(f.copied, d.copied),
          skipped: Math.max(f.skipped, d.skipped),
          errors: Math.max(f.errors, d.errors),
          status: d.status,
        },
  );
}

export function foldersAfterProgress(folders: FolderProgress[], d: ProgressData): FolderProgress[] {
  if (d.waiting || !d.folder) return folders;
  return update(folders, d.folder, null, (f) => ({
    ...f,
    state: f.state === 'done' ? 'done' : 'running',
    planned: f.planned ?? d.total,
    copied: Math.max(f.copied, d.copied),
    skipped: Math.max(f.skipped, d.skipped),
    errors: Math.max(f.errors, d.errors),
  }));
}

/** "3 of 12 folders done". */
export function foldersDone(folders: FolderProgress[]): number {
  return folders.filter((f) => f.state === 'done').length;
}

const stage = { planned: 0, running: 1, done: 2 } as const;

/**
 * The saved per-folder view (the run snapshot, after a reload) with what events said since: each
 * folder in the saved order, further along of the two and with the larger counts; folders only the
 * events know come after.
 */
export function mergeFolders(saved: FolderProgress[], live: FolderProgress[]): FolderProgress[] {
  if (saved.length === 0) return live;
  const byName = new Map(live.map((f) => [f.folder, f]));
  const merged = saved.map((f) => {
    const seen = byName.get(f.folder);
    if (!seen) return f;
    return {
      ...f,
      state: stage[seen.state] >= stage[f.state] ? seen.state : f.state,
      planned: f.planned ?? seen.planned,
      copied: Math.max(f.copied, seen.copied),
      skipped: Math.max(f.skipped, seen.skipped),
      errors: Math.max(f.errors, seen.errors),
      status: seen.status ?? f.status,
    };
  });
  const known = new Set(saved.map((f) => f.folder));
  return [...merged, ...live.filter((f) => !known.has(f.folder))];
}
