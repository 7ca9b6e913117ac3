import { describe, expect, it } from 'vitest';
import type { AccountRun } from '@/features/runs/api/run-schema';
import { drillAccount } from '@/features/runs/lib/run-drill';

const base = {
  id: 1,
  account_id: 1,
  src_username: 'alice',
  dst_username: 'alice',
  status: 'partial',
  copied: 1,
  skipped: 0,
  errors: 3,
  bytes: 1,
  planned_messages: null,
  planned_bytes: null,
  error_summary: null,
  started_at: null,
  finished_at: null,
} satisfies Partial<AccountRun>;

describe('run drill-down', () => {
  it('puts account-wide errors apart and folders with errors first, most errors first', () => {
    const drill = drillAccount({
      ...base,
      folders: [
        { folder: 'INBOX', dst_folder: 'INBOX', status: 'ok', note: null },
        { folder: 'Sent', dst_folder: 'INBOX.Sent', status: 'partial', note: null },
        { folder: 'Archive', dst_folder: 'INBOX.Archive', status: 'partial', note: null },
      ],
      errors_list: [
        { code: 'login', reason: 'bad password', side: 'src', kind: 'login' },
        { code: 'refused', reason: 'no', folder: 'Archive', uid: 1, side: 'dst', kind: 'message' },
        { code: 'refused', reason: 'no', folder: 'Sent', uid: 2, side: 'dst', kind: 'message' },
        { code: 'refused', reason: 'no', folder: 'Sent', uid: 3, side: 'dst', kind: 'message' },
        { code: 'folder', reason: 'cannot create', folder: 'Gone', side: 'dst', kind: 'folder' },
      ],
    });
    expect(drill.accountWide.map((e) => e.kind)).toEqual(['login']);
    expect(drill.folders.map((f) => [f.folder, f.errors.length])).toEqual([
      ['Sent', 2],
      ['Archive', 1],
      ['Gone', 1],
      ['INBOX', 0],
    ]);
    expect(drill.folders[0]?.dstFolder).toBe('INBOX.Sent');
  });
});
