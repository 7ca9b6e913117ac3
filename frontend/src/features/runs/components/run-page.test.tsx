// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunDetail } from '@/features/runs/api/run-schema';
import { RunPage } from '@/features/runs/components/run-page';

afterEach(cleanup);

const detail: RunDetail = {
  run: {
    id: 4,
    task_id: 1,
    trigger: 'manual',
    status: 'done',
    started_at: '2026-11-30T10:00:00Z',
    finished_at: '2026-11-30T10:00:05Z',
    total_copied: 5,
    total_skipped: 0,
    total_errors: 2,
    total_bytes: 100,
    error_summary: null,
    cancel_requested: false,
    scheduled_for: null,
  },
  accounts: [
    {
      id: 1,
      account_id: 7,
      src_username: 'fine',
      dst_username: 'fine',
      status: 'ok',
      copied: 5,
      skipped: 0,
      errors: 0,
      bytes: 100,
      planned_messages: null,
      planned_bytes: null,
      error_summary: null,
      errors_list: [],
      folders: [{ folder: 'INBOX', dst_folder: 'INBOX', status: 'ok', note: null }],
      started_at: null,
      finished_at: null,
    },
    {
      id: 2,
      account_id: 8,
      src_username: 'broken',
      dst_username: 'broken',
      status: 'failed',
      copied: 0,
      skipped: 0,
      errors: 2,
      bytes: 0,
      planned_messages: null,
      planned_bytes: null,
      error_summary: 'destination login failed',
      errors_list: [
        { code: 'login', reason: 'authentication failed', side: 'dst', kind: 'login' },
        { code: 'refused', reason: 'refused by the server', folder: 'Sent', uid: 12, side: 'dst', kind: 'message' },
      ],
      folders: [],
      started_at: null,
      finished_at: null,
    },
  ],
};

describe('run log page', () => {
  it('lists the failing account first and drills down to folder and message errors with side and kind', () => {
    render(<RunPage detail={detail} />);
    const accounts = screen.getAllByTestId('run-log-account');
    expect(accounts.map((a) => a.dataset.accountId)).toEqual(['8', '7']);
    const broken = accounts[0] as HTMLElement;
    const wide = within(broken).getByTestId('run-log-account-errors');
    expect(within(wide).getByTestId('run-log-error-what').textContent).toBe('Destination login');
    const folder = within(broken).getByTestId('run-log-folder');
    expect(folder.dataset.folder).toBe('Sent');
    const error = within(within(folder).getByTestId('run-log-folder-errors')).getByTestId('run-log-error');
    expect(error.textContent).toBe('Destination message · UID 12: refused by the server');
    expect(screen.getByTestId('run-csv-export')).toBeTruthy();
  });
});
