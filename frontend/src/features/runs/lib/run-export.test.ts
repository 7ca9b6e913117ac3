import { describe, expect, it } from 'vitest';
import type { AccountRun, RunDetail } from '@/features/runs/api/run-schema';
import { csvField, runCsv, runCsvFilename } from '@/features/runs/lib/run-export';

const run = {
  id: 9,
  task_id: 2,
  trigger: 'manual',
  status: 'done',
  started_at: '2026-11-30T10:00:00Z',
  finished_at: '2026-11-30T10:01:00Z',
  total_copied: 3,
  total_skipped: 1,
  total_errors: 2,
  total_bytes: 4096,
  error_summary: null,
  cancel_requested: false,
  scheduled_for: null,
} as RunDetail['run'];

const account = (over: Partial<AccountRun>): AccountRun => ({
  id: 1,
  account_id: 1,
  src_username: 'alice',
  dst_username: 'alice@new',
  status: 'ok',
  copied: 3,
  skipped: 1,
  errors: 0,
  bytes: 4096,
  planned_messages: null,
  planned_bytes: null,
  error_summary: null,
  errors_list: [],
  folders: [],
  started_at: '2026-11-30T10:00:00Z',
  finished_at: '2026-11-30T10:00:30Z',
  ...over,
});

describe('run CSV export', () => {
  it('writes one line per account and one per error, with side and kind', () => {
    const detail: RunDetail = {
      run,
      accounts: [
        account({}),
        account({
          account_id: 2,
          src_username: 'bob',
          dst_username: 'bob',
          status: 'partial',
          errors: 2,
          errors_list: [
            { code: 'connect', reason: 'connection refused by 127.0.0.1:24143', side: 'dst', kind: 'connection' },
            { code: 'refused', reason: 'too big, "really"', folder: 'INBOX', uid: 42, side: 'dst', kind: 'size' },
          ],
        }),
      ],
    };
    const lines = runCsv(detail).split('\r\n');
    expect(lines[0]).toBe('run_id,src_user,dst_user,line,status,copied,skipped,errors,bytes,started_at,finished_at,side,kind,folder,uid,reason');
    expect(lines[1]).toBe('9,alice,alice@new,account,ok,3,1,0,4096,2026-11-30T10:00:00Z,2026-11-30T10:00:30Z,,,,,');
    expect(lines[3]).toBe('9,bob,bob,error,partial,,,,,,,dst,connection,,,connection refused by 127.0.0.1:24143');
    expect(lines[4]).toBe('9,bob,bob,error,partial,,,,,,,dst,size,INBOX,42,"too big, ""really"""');
    expect(lines).toHaveLength(6);
    expect(lines[5]).toBe('');
    expect(runCsvFilename(detail)).toBe('run-9-task-2.csv');
  });

  it('never lets a spreadsheet run a cell as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM')).toBe("'@SUM");
    expect(csvField(-1)).toBe('-1');
    expect(csvField(null)).toBe('');
  });
});
