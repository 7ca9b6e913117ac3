// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';

/** A list whose row button opens a confirmation that deletes the row, like the accounts table. */
function Harness({ removeLater = false }: { removeLater?: boolean }) {
  const [rows, setRows] = useState(['alice', 'bob']);
  const [deleting, setDeleting] = useState<string | null>(null);
  const remove = () => setRows((current) => current.filter((r) => r !== deleting));
  return (
    <section aria-labelledby="h">
      <h2 id="h">Accounts</h2>
      {rows.map((row) => (
        <button key={row} type="button" onClick={() => setDeleting(row)}>
          Delete {row}
        </button>
      ))}
      <ConfirmDialog
        open={deleting !== null}
        title={`Remove ${deleting ?? ''}?`}
        confirmLabel="Remove"
        onConfirm={() => {
          // Like a list fetched again after the delete: the row goes after the dialog has closed.
          if (removeLater) setTimeout(remove, 50);
          else remove();
          setDeleting(null);
        }}
        onClose={() => setDeleting(null)}
      >
        <p>Sure?</p>
      </ConfirmDialog>
    </section>
  );
}

afterEach(cleanup);

describe('Modal focus', () => {
  it('starts on Cancel in a confirmation and returns to the opener when cancelled', async () => {
    render(<Harness />);
    const opener = screen.getByRole('button', { name: 'Delete alice' });
    await userEvent.click(opener);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(document.activeElement).toBe(opener));
  });

  it("moves to the section's heading when the opener was deleted", async () => {
    render(<Harness />);
    await userEvent.click(screen.getByRole('button', { name: 'Delete alice' }));
    await userEvent.click(screen.getByTestId('confirm-button'));
    expect(screen.queryByRole('button', { name: 'Delete alice' })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Accounts' })));
  });

  it('also when the row disappears only after the dialog has closed', async () => {
    render(<Harness removeLater />);
    await userEvent.click(screen.getByRole('button', { name: 'Delete bob' }));
    await userEvent.click(screen.getByTestId('confirm-button'));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Delete bob' })).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Accounts' })));
  });
});
