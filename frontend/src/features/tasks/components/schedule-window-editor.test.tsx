// @vitest-environment happy-dom
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorBanner } from '@/components/ui/error-banner';
import { setCsrfToken } from '@/lib/api-client';
import { clearErrorBanner } from '@/lib/notifications';
import { createQueryClient } from '@/lib/react-query';
import { fakeApi } from '@/testing/fake-api';
import { useTask } from '@/features/tasks/api/get-task';
import { ScheduleWindowEditor } from '@/features/tasks/components/schedule-window-editor';

const task = {
  id: 1,
  name: 'Acme',
  src_endpoint_id: 1,
  dst_endpoint_id: 2,
  status: 'idle',
  folder_mapping: {},
  exclude_folders: [],
  schedule_interval_seconds: 3600,
  broken: false,
  next_run_at: null,
  last_run: null,
  schedule_window: null,
  notify_emails: [],
  account_count: 0,
  failing_count: 0,
  paused_count: 0,
  created_at: '2026-11-30T10:00:00Z',
  updated_at: '2026-11-30T10:00:00Z',
};

function Harness() {
  const query = useTask(1);
  return (
    <>
      <ErrorBanner />
      {query.data ? <ScheduleWindowEditor task={query.data} /> : <p>loading</p>}
    </>
  );
}

beforeEach(() => setCsrfToken('csrf-123'));
afterEach(() => {
  cleanup();
  clearErrorBanner();
  vi.unstubAllGlobals();
});

describe('ScheduleWindowEditor', () => {
  it('sends the window and the extra recipients, and shows a refused time zone', async () => {
    const api = fakeApi({
      'GET /api/tasks/1': () => ({ status: 200, body: { task, accounts: [] } }),
      'PATCH /api/tasks/1': () => ({
        status: 422,
        body: { error: { code: 'invalid', message: 'invalid schedule_window.tz: unknown zone', fields: {} } },
      }),
    });
    render(
      <QueryClientProvider client={createQueryClient()}>
        <Harness />
      </QueryClientProvider>,
    );
    await userEvent.click(await screen.findByTestId('window-enabled'));
    const tz = screen.getByTestId('window-tz');
    await userEvent.clear(tz);
    await userEvent.type(tz, 'Mars/Olympus');
    await userEvent.type(screen.getByTestId('notify-emails'), 'a@x.test, b@x.test');
    await userEvent.click(screen.getByTestId('save-window-button'));

    await waitFor(() => expect(screen.getByTestId('error-banner').textContent).toContain('unknown zone'));
    const patch = api.calls.find((c) => c.method === 'PATCH');
    expect(JSON.parse(patch?.body ?? '{}')).toEqual({
      schedule_window: { start: '22:00', end: '06:00', tz: 'Mars/Olympus' },
      notify_emails: ['a@x.test', 'b@x.test'],
    });
  });
});
