// @vitest-environment happy-dom
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createQueryClient } from '@/lib/react-query';
import { fakeApi } from '@/testing/fake-api';
import type { Task } from '@/features/tasks/api/task-schema';
import { FolderMappingEditor } from '@/features/tasks/components/folder-mapping-editor';

const task = {
  id: 1,
  name: 'Acme',
  src_endpoint_id: 1,
  dst_endpoint_id: 2,
  status: 'idle',
  folder_mapping: {},
  exclude_folders: [],
  schedule_interval_seconds: 0,
  broken: false,
  next_run_at: null,
} as unknown as Task;

const folder = (source: string, destination: string, note: string | null = null) => ({
  source,
  destination,
  messages: 1,
  bytes: 1000,
  pending: 1,
  excluded: false,
  special_use: false,
  reason: 'translated',
  destination_exists: false,
  note,
});

afterEach(cleanup);

describe('folder mapping preview', () => {
  it('shows why a destination was renamed and the quota the account cannot fit', async () => {
    const note = "'INBOX.Unterordner' is already the destination of 'Unterordner', so this one goes to 'INBOX.Unterordner (2)'";
    fakeApi({
      'GET /api/tasks/1/plan': () => ({
        status: 200,
        body: {
          account_id: 7,
          folders: [folder('Unterordner', 'INBOX.Unterordner'), folder('INBOX/Unterordner', 'INBOX.Unterordner (2)', note)],
          quota: {
            limit_bytes: 10240,
            used_bytes: 0,
            free_bytes: 10240,
            needed_bytes: 40000,
            warning: 'the source holds 40 kB to copy but the destination has 10 kB free',
          },
        },
      }),
    });
    render(
      <QueryClientProvider client={createQueryClient()}>
        <FolderMappingEditor task={task} hasAccounts />
      </QueryClientProvider>,
    );
    await userEvent.click(screen.getByTestId('load-plan-button'));
    expect((await screen.findByTestId('folder-note')).textContent).toBe(note);
    expect(screen.getAllByTestId('folder-note')).toHaveLength(1);
    expect(screen.getByTestId('plan-quota').textContent).toContain('Warning: the source holds 40 kB to copy');
    expect(screen.queryByText(/they will be merged/)).toBeNull();
  });
});
