import { describe, expect, it } from 'vitest';
import type { FolderData, PlanData, ProgressData } from '@/client/types.gen';
import { foldersAfterFolderEvent, foldersAfterProgress, foldersDone, foldersFromPlan } from '@/features/runs/lib/live-folders';

const plan: PlanData = {
  folders: [
    { src: 'INBOX', dst: 'INBOX', reason: 'inbox', dst_exists: true, messages: 100, size: 1000, pending: 60, note: null },
    { src: 'Sent', dst: 'INBOX.Sent', reason: 'special-use', dst_exists: false, messages: 40, size: 500, pending: null, note: null },
  ],
  excluded: [],
  quota: null,
  planned_messages: 100,
  planned_bytes: 1500,
};

const folderEvent = (folder: string, state: 'started' | 'done', over: Partial<FolderData> = {}): FolderData => ({
  folder,
  dst_folder: folder,
  state,
  status: state === 'done' ? 'ok' : null,
  copied: 0,
  skipped: 0,
  errors: 0,
  bytes: 0,
  flags_updated: 0,
  seconds: 0,
  altered: 0,
  note: null,
  account: null,
  ...over,
});

const progress = (folder: string, copied: number, errors = 0): ProgressData => ({
  folder,
  copied,
  skipped: 0,
  errors,
  bytes: 0,
  done: copied,
  total: 60,
  account: null,
  waiting: null,
});

describe('live folders', () => {
  it('follows each folder from the plan to done, with its counts', () => {
    let folders = foldersFromPlan(plan);
    expect(folders.map((f) => [f.folder, f.dst, f.state, f.planned])).toEqual([
      ['INBOX', 'INBOX', 'planned', 60],
      ['Sent', 'INBOX.Sent', 'planned', 40],
    ]);
    folders = foldersAfterFolderEvent(folders, folderEvent('INBOX', 'started'));
    folders = foldersAfterProgress(folders, progress('INBOX', 30, 1));
    expect(folders[0]).toMatchObject({ state: 'running', copied: 30, errors: 1 });
    // A late progress event never moves a count back.
    folders = foldersAfterProgress(folders, progress('INBOX', 20));
    expect(folders[0]?.copied).toBe(30);
    folders = foldersAfterFolderEvent(folders, folderEvent('INBOX', 'done', { copied: 59, errors: 1, status: 'partial' }));
    expect(folders[0]).toMatchObject({ state: 'done', copied: 59, status: 'partial' });
    expect(foldersDone(folders)).toBe(1);
    expect(folders[1]?.state).toBe('planned');
  });

  it('adds a folder the plan did not list, and ignores a waiting progress', () => {
    const waiting = { ...progress('INBOX', 0), folder: null, waiting: 'connection limit' };
    expect(foldersAfterProgress([], waiting)).toEqual([]);
    const folders = foldersAfterFolderEvent([], folderEvent('Archive', 'started', { dst_folder: 'INBOX.Archive' }));
    expect(folders).toEqual([
      { folder: 'Archive', dst: 'INBOX.Archive', state: 'running', planned: null, copied: 0, skipped: 0, errors: 0, status: null },
    ]);
  });
});
