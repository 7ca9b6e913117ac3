// @vitest-environment happy-dom
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearErrorBanner } from '@/lib/notifications';
import { createQueryClient } from '@/lib/react-query';
import { fakeApi } from '@/testing/fake-api';
import { CsvImportDialog } from '@/features/accounts/components/csv-import-dialog';

function renderDialog(onClose = vi.fn<() => void>()) {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <CsvImportDialog taskId={5} open onClose={onClose} />
    </QueryClientProvider>,
  );
  return onClose;
}

const paste = (text: string) => fireEvent.change(screen.getByTestId('csv-text'), { target: { value: text } });

afterEach(() => {
  cleanup();
  clearErrorBanner();
  vi.unstubAllGlobals();
});

describe('CSV import', () => {
  it('previews per-line problems and blocks the import until they are fixed', () => {
    fakeApi({});
    renderDialog();
    paste('alice,pw,alice2,pw2\nbob,pw,bob2\n');
    const errors = screen.getAllByTestId('csv-line-error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.dataset.line).toBe('2');
    expect(screen.getByTestId<HTMLButtonElement>('csv-import-button').disabled).toBe(true);
    expect(screen.getByText('Fix 1 line first.')).toBeTruthy();
  });

  it('sends the text as text/csv and shows the server line errors of a 422', async () => {
    const api = fakeApi({
      'POST /api/tasks/5/accounts/import': () => ({
        status: 422,
        body: {
          error: { code: 'invalid', message: '1 invalid line(s); nothing was imported', fields: { 'line 2': 'src_user bob is already in this task' } },
        },
      }),
    });
    renderDialog();
    const csv = 'alice,pw,alice2,pw2\nbob,pw,bob2,pw2';
    paste(csv);
    await userEvent.click(screen.getByTestId('csv-import-button'));

    await waitFor(() => expect(screen.getAllByTestId('csv-line-error')[0]?.textContent).toContain('already in this task'));
    expect(screen.getByTestId('error-banner').textContent).toContain('nothing was imported');
    const post = api.calls[0];
    expect(post?.headers['Content-Type']).toBe('text/csv');
    expect(post?.body).toBe(csv);
  });

  it('closes after a successful import', async () => {
    fakeApi({ 'POST /api/tasks/5/accounts/import': () => ({ status: 201, body: { imported: 2, created: 2, updated: 0, accounts: [] } }) });
    const onClose = renderDialog();
    paste('alice,pw,alice2,pw2\nbob,pw,bob2,pw2');
    expect(screen.getByTestId('csv-import-button').textContent).toContain('Import 2 accounts');
    await userEvent.click(screen.getByTestId('csv-import-button'));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });

  it('after a refusal the button counts only what the server would take', async () => {
    fakeApi({
      'POST /api/tasks/5/accounts/import': () => ({
        status: 422,
        body: { error: { code: 'invalid', message: 'nothing was imported', fields: { 'line 2': 'src_user bob is already in this task' } } },
      }),
    });
    renderDialog();
    paste('alice,pw,alice2,pw2\nbob,pw,bob2,pw2');
    await userEvent.click(screen.getByTestId('csv-import-button'));
    await waitFor(() => expect(screen.getByTestId('csv-preview').textContent).toContain('1 account ready to import'));
    expect(screen.getByTestId<HTMLButtonElement>('csv-import-button').disabled).toBe(true);
  });

  it('update mode asks the server to update the accounts already in the task', async () => {
    const api = fakeApi({
      'POST /api/tasks/5/accounts/import?mode=upsert': () => ({
        status: 201,
        body: { imported: 2, created: 1, updated: 1, accounts: [] },
      }),
    });
    const onClose = renderDialog();
    paste('alice,pw,alice2,pw2\nbob,pw,bob2,pw2');
    await userEvent.click(screen.getByTestId('csv-upsert'));
    await userEvent.click(screen.getByTestId('csv-import-button'));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(api.calls[0]?.url).toBe('/api/tasks/5/accounts/import?mode=upsert');
  });
});
