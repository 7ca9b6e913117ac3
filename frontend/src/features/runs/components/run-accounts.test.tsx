// @vitest-environment happy-dom
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createQueryClient } from '@/lib/react-query';
import { fakeApi } from '@/testing/fake-api';
import { RunAccounts } from '@/features/runs/components/run-accounts';

const account = {
  id: 1,
  account_id: 7,
  src_username: 'alice',
  dst_username: 'alice',
  status: 'ok',
  copied: 2,
  skipped: 0,
  errors: 0,
  bytes: 2048,
  planned_messages: 2,
  planned_bytes: 2048,
  error_summary: null,
  errors_list: [],
  folders: [
    { folder: 'Unterordner', dst_folder: 'INBOX.Unterordner', status: 'ok', altered: 1, note: null },
    {
      folder: 'INBOX/Unterordner',
      dst_folder: 'INBOX.Unterordner (2)',
      status: 'ok',
      altered: 0,
      note: "'INBOX.Unterordner' is already the destination of 'Unterordner', so this one goes to 'INBOX.Unterordner (2)'",
    },
  ],
  warnings: [
    { kind: 'altered', folder: 'Unterordner', count: 1, message: '1 message(s) stored altered by the destination' },
  ],
  started_at: '2026-11-30T10:00:00Z',
  finished_at: '2026-11-30T10:00:05Z',
};

afterEach(cleanup);

describe('run accounts', () => {
  it('shows altered messages as warnings and renamed folders with their note, not as errors', async () => {
    fakeApi({
      'GET /api/runs/3': () => ({
        status: 200,
        body: {
          run: {
            id: 3,
            task_id: 1,
            trigger: 'manual',
            status: 'done',
            started_at: '2026-11-30T10:00:00Z',
            finished_at: '2026-11-30T10:00:05Z',
            total_copied: 2,
            total_skipped: 0,
            total_errors: 0,
            total_bytes: 2048,
            error_summary: null,
            cancel_requested: false,
            scheduled_for: null,
          },
          accounts: [account],
        },
      }),
    });
    render(
      <QueryClientProvider client={createQueryClient()}>
        <RunAccounts runId={3} runSummary={null} />
      </QueryClientProvider>,
    );
    const warning = await screen.findByTestId('run-warning');
    expect(warning.textContent).toBe('Unterordner: 1 message(s) stored altered by the destination');
    const note = screen.getByTestId('run-folder-note');
    expect(note.textContent).toContain('INBOX/Unterordner → INBOX.Unterordner (2):');
    expect(note.textContent).toContain('already the destination of');
    expect(screen.queryByTestId('run-error')).toBeNull();
  });
});
