// @vitest-environment happy-dom
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '@/lib/api-client';
import { createQueryClient } from '@/lib/react-query';
import { fakeApi } from '@/testing/fake-api';
import type { Task } from '@/features/tasks/api/task-schema';
import { TaskActions } from '@/features/tasks/components/task-actions';

const runningTask = {
  id: 1,
  name: 'Acme',
  src_endpoint_id: 1,
  dst_endpoint_id: 2,
  status: 'running',
  folder_mapping: {},
  exclude_folders: [],
  schedule_interval_seconds: 0,
  broken: false,
  next_run_at: null,
  last_run: { id: 9, status: 'running', trigger: 'manual', started_at: '2026-11-30T10:00:00Z', finished_at: null, total_copied: 0, total_errors: 0 },
  account_count: 1,
  failing_count: 0,
  paused_count: 0,
  created_at: '2026-11-30T10:00:00Z',
  updated_at: '2026-11-30T10:00:00Z',
} as unknown as Task;

const dialogOpen = () => screen.queryByTestId<HTMLDialogElement>('confirm-dialog')?.open ?? false;

beforeEach(() => setCsrfToken('csrf-123'));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('Cancel run', () => {
  it('asks first, sends nothing when the admin keeps the run, and cancels once confirmed', async () => {
    const api = fakeApi({ 'POST /api/tasks/1/cancel': () => ({ status: 202, body: {} }) });
    render(
      <QueryClientProvider client={createQueryClient()}>
        <TaskActions task={runningTask} readiness={{ total: 1, ok: 1, failed: 0, untested: 0 }} isTesting={false} onTestStarted={() => {}} />
      </QueryClientProvider>,
    );
    await userEvent.click(screen.getByTestId('cancel-button'));
    expect(dialogOpen()).toBe(true);
    expect(screen.getByTestId('confirm-dialog').textContent).toContain('run #9');
    await userEvent.click(screen.getByRole('button', { name: 'Keep running' }));
    await waitFor(() => expect(dialogOpen()).toBe(false));
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    await userEvent.click(screen.getByTestId('cancel-button'));
    await userEvent.click(screen.getByTestId('confirm-button'));
    await waitFor(() => expect(api.calls.filter((c) => c.url === '/api/tasks/1/cancel')).toHaveLength(1));
    await waitFor(() => expect(dialogOpen()).toBe(false));
  });
});
