// The run log page's drill-down: an account's error items grouped by folder, next to its folder
// results (docs/console.md, "The run log page").
import type { AccountRun, MessageError } from '@/features/runs/api/run-schema';

export type FolderGroup = {
  folder: string;
  dstFolder: string | null;
  status: string | null;
  note: string | null;
  errors: MessageError[];
};

export type AccountDrill = {
  /** Errors about the whole account (connection, TLS, login, …): no folder. */
  accountWide: MessageError[];
  /** Folders with errors first (most errors first), then the others in the run's order. */
  folders: FolderGroup[];
};

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function drillAccount(a: AccountRun): AccountDrill {
  const groups = new Map<string, FolderGroup>();
  for (const f of a.folders) {
    const name = text(f.folder);
    if (name === null || groups.has(name)) continue;
    groups.set(name, { folder: name, dstFolder: text(f.dst_folder), status: text(f.status), note: text(f.note), errors: [] });
  }
  const accountWide: MessageError[] = [];
  for (const e of a.errors_list) {
    if (!e.folder) {
      accountWide.push(e);
      continue;
    }
    let group = groups.get(e.folder);
    if (!group) {
      group = { folder: e.folder, dstFolder: null, status: null, note: null, errors: [] };
      groups.set(e.folder, group);
    }
    group.errors.push(e);
  }
  const all = [...groups.values()];
  const withErrors = all.filter((g) => g.errors.length > 0).toSorted((x, y) => y.errors.length - x.errors.length);
  return { accountWide, folders: [...withErrors, ...all.filter((g) => g.errors.length === 0)] };
}
