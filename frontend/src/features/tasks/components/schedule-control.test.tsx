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
import { ScheduleControl } from '@/features/tasks/components/schedule-control';
import type { ScheduleGate } from '@/features/tasks/lib/task-readiness';

const baseTask = {
  id: 1,
  name: 'Acme',
  src_endpoint_id: 1,
  dst_endpoint_id: 2,
  status: 'idle',
  folder_mapping: {},
  exclude_folders: [],
  schedule_interval_seconds: 0,
  broken: false,
  next_run_at: null as string | null,
  last_run: null,
  account_count: 0,
  failing_count: 0,
  paused_count: 0,
  created_at: '2025-11-28T12:00:00Z',
  updated_at: '2025-11-28T12:00:00Z',
};

function Harness({ gate, onShow }: { gate?: ScheduleGate; onShow?: (status: 'fail' | 'untested') => void }) {
  const task = useTask(1);
  return (
    <>
      <ErrorBanner />
      {task.data ? <ScheduleControl task={task.data} gate={gate} onShowAccounts={onShow} /> : <p>loading</p>}
    </>
  );
}

function renderHarness(gate?: ScheduleGate, onShow?: (status: 'fail' | 'untested') => void) {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <Harness gate={gate} onShow={onShow} />
    </QueryClientProvider>,
  );
}

beforeEach(() => setCsrfToken('csrf-123'));
afterEach(() => {
  cleanup();
  clearErrorBanner();
  vi.unstubAllGlobals();
});

describe('ScheduleControl', () => {
  it('goes back to the server state and shows the 409 when enabling is refused', async () => {
    const api = fakeApi({
      'GET /api/tasks/1': () => ({ status: 200, body: { task: baseTask, accounts: [] } }),
      'PUT /api/tasks/1/schedule': () => ({
        status: 409,
        body: { error: { code: 'conflict', message: '1 account is not tested OK on both sides', fields: {} } },
      }),
    });
    renderHarness();
    const select = await screen.findByTestId<HTMLSelectElement>('schedule-select');
    expect(select.value).toBe('0');

    await userEvent.selectOptions(select, 'Every 3h');

    const banner = await screen.findByTestId('error-banner');
    expect(banner.textContent).toContain('1 account is not tested OK on both sides');
    expect(banner.dataset.status).toBe('409');
    await waitFor(() => expect(select.value).toBe('0'));
    const put = api.calls.find((c) => c.method === 'PUT');
    expect(put?.body).toBe(JSON.stringify({ interval_seconds: 10800 }));
    expect(put?.headers['X-CSRF-Token']).toBe('csrf-123');
    expect(screen.getByTestId('next-run').textContent).toBe('Schedule off');
  });

  it('shows the new interval and the next run once accepted', async () => {
    let current = baseTask;
    fakeApi({
      'GET /api/tasks/1': () => ({ status: 200, body: { task: current, accounts: [] } }),
      'PUT /api/tasks/1/schedule': () => {
        current = { ...baseTask, schedule_interval_seconds: 3600, next_run_at: '2099-01-01T00:00:00Z' };
        return { status: 204 };
      },
    });
    renderHarness();
    const select = await screen.findByTestId<HTMLSelectElement>('schedule-select');

    await userEvent.selectOptions(select, 'Every 1h');

    await waitFor(() => expect(screen.getByTestId('next-run').textContent).toMatch(/^Next run: /));
    expect(select.value).toBe('3600');
    expect(screen.getByTestId('next-run').dataset.nextRunAt).toBe('2099-01-01T00:00:00Z');
    expect(screen.queryByTestId('error-banner')).toBeNull();
    expect(screen.queryByTestId('schedule-waiting')).toBeNull();
  });

  it('says why a scheduled task is not starting', async () => {
    const reason = 'scheduled runs wait: 1 of 2 accounts are not tested OK on both sides';
    const waiting = { ...baseTask, schedule_interval_seconds: 3600, schedule_waiting_reason: reason };
    fakeApi({ 'GET /api/tasks/1': () => ({ status: 200, body: { task: waiting, accounts: [] } }) });
    renderHarness();
    const note = await screen.findByTestId('schedule-waiting');
    expect(note.textContent).toBe(`${reason}: test them to let the schedule run.`);
  });

  it('is disabled with the reason beside it while an enabled account fails, and links to the accounts', async () => {
    fakeApi({ 'GET /api/tasks/1': () => ({ status: 200, body: { task: baseTask, accounts: [] } }) });
    const shown: string[] = [];
    renderHarness({ enabled: 3, failed: ['bad@x'], untested: ['new@x', 'other@x'] }, (status) => shown.push(status));
    const select = await screen.findByTestId<HTMLSelectElement>('schedule-select');
    expect(select.disabled).toBe(true);
    const reason = screen.getByTestId('schedule-reason');
    expect(select.getAttribute('aria-describedby')?.split(' ')).toContain(reason.id);
    expect(reason.textContent).toBe(
      'Scheduling is off until every enabled account passes the login test: 1 account failed the login test (bad@x); ' +
        '2 accounts not tested yet (new@x, other@x): fix and test them, or pause them, before turning the schedule on.',
    );
    await userEvent.click(screen.getByTestId('schedule-show-failed'));
    await userEvent.click(screen.getByTestId('schedule-show-untested'));
    expect(shown).toEqual(['fail', 'untested']);
  });

  it('can always be turned off: only the other intervals are disabled when it is on', async () => {
    const on = { ...baseTask, schedule_interval_seconds: 3600, next_run_at: '2099-01-01T00:00:00Z' };
    fakeApi({ 'GET /api/tasks/1': () => ({ status: 200, body: { task: on, accounts: [] } }) });
    renderHarness({ enabled: 1, failed: ['bad@x'], untested: [] });
    const select = await screen.findByTestId<HTMLSelectElement>('schedule-select');
    expect(select.disabled).toBe(false);
    const disabled = [...select.options].filter((o) => o.disabled).map((o) => o.value);
    expect(disabled).toEqual(['10800', '21600', '43200', '86400']);
    expect(screen.getByTestId('schedule-reason').textContent).toMatch(/^Only Off can be chosen now: 1 account failed/);
  });

  it('is enabled once no enabled account blocks it', async () => {
    fakeApi({ 'GET /api/tasks/1': () => ({ status: 200, body: { task: baseTask, accounts: [] } }) });
    renderHarness({ enabled: 2, failed: [], untested: [] });
    const select = await screen.findByTestId<HTMLSelectElement>('schedule-select');
    expect(select.disabled).toBe(false);
    expect(screen.queryByTestId('schedule-reason')).toBeNull();
  });
});
