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

const courierPlan = () => ({
  status: 200,
  body: {
    account_id: 7,
    src_separator: '/',
    dst_separator: '.',
    dst_prefix: 'INBOX.',
    dst_other_prefixes: [],
    folders: [folder('INBOX', 'INBOX'), folder('Archive', 'INBOX.Archive'), folder('Sent', 'INBOX.Sent')],
  },
});

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
  });

  it('refuses an impossible destination as you type, says why next to the field, and keeps Save off', async () => {
    const previewBodies: string[] = [];
    fakeApi({
      'GET /api/tasks/1/plan': courierPlan,
      'POST /api/tasks/1/folder-rules/preview': (request) => {
        previewBodies.push(request.body ?? '');
        const names = ['INBOX', 'Archive', 'Sent'];
        return { status: 200, body: { folders: names.map((name) => ({ name, copied: true, decided_by: null })), copied: 3, excluded: 0 } };
      },
    });
    render(
      <QueryClientProvider client={createQueryClient()}>
        <FolderMappingEditor task={task} hasAccounts />
      </QueryClientProvider>,
    );
    await userEvent.click(screen.getByTestId('load-plan-button'));
    const archive = await screen.findByLabelText('Destination for Archive');
    await userEvent.type(archive, 'Old/2020');
    const reason = screen.getByTestId('folder-destination-error');
    expect(reason.textContent).toBe('This server keeps folders under "INBOX.": write INBOX.Old/2020.');
    expect(archive.getAttribute('aria-invalid')).toBe('true');
    expect(archive.getAttribute('aria-describedby')).toBe(reason.id);
    const saveButton = screen.getByTestId('save-folder-mapping') as HTMLButtonElement;
    expect(saveButton.disabled).toBe(true);
    expect(screen.getByTestId('save-folder-mapping-reason').textContent).toBe('1 destination name refused: fix it before saving.');

    await userEvent.clear(archive);
    await userEvent.type(archive, 'INBOX.Sent');
    expect(screen.getByTestId('folder-destination-error').textContent).toBe(
      '"Sent" also goes to "INBOX.Sent": two folders cannot share a destination.',
    );
    await userEvent.clear(archive);
    await userEvent.type(archive, 'INBOX.Old.2020');
    expect(screen.queryByTestId('folder-destination-error')).toBeNull();
    expect(archive.getAttribute('aria-invalid')).toBeNull();
    expect(saveButton.disabled).toBe(false);
    expect((await screen.findByTestId('rules-preview-counts')).textContent).toContain('3 of 3 folders copied');
    expect(JSON.parse(previewBodies[0] ?? '{}')).toMatchObject({ folders: ['INBOX', 'Archive', 'Sent'], separator: '/' });
  });

  it('shows a refused pattern next to its box, by line, and keeps Save off', async () => {
    fakeApi({
      'GET /api/tasks/1/plan': courierPlan,
      'POST /api/tasks/1/folder-rules/preview': (request) => {
        const body = JSON.parse(request.body ?? '{}') as { include: string[] };
        if (body.include.includes('(')) {
          const fields = { 'include.0': '"(" is not a valid regular expression: missing ), unterminated subpattern at position 0' };
          return { status: 422, body: { error: { code: 'invalid', message: 'invalid include.0', fields } } };
        }
        return { status: 200, body: { folders: [], copied: 0, excluded: 0 } };
      },
    });
    render(
      <QueryClientProvider client={createQueryClient()}>
        <FolderMappingEditor task={task} hasAccounts />
      </QueryClientProvider>,
    );
    await userEvent.click(screen.getByTestId('load-plan-button'));
    const include = await screen.findByLabelText('Copy only folders matching');
    await userEvent.type(include, '\n(');
    const error = await screen.findByTestId('rules-include-error', {}, { timeout: 3000 });
    expect(error.textContent).toBe('Line 2: "(" is not a valid regular expression: missing ), unterminated subpattern at position 0');
    expect(include.getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByTestId('save-folder-mapping') as HTMLButtonElement).disabled).toBe(true);
  });
});
