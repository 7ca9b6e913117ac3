// @vitest-environment happy-dom
import { cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useNotifications } from '@/lib/notifications';
import { useRunFinished } from '@/features/runs/api/use-run-finished';

type Props = { run: { id: number; status: string; copied: number; errors: number } | null; isRunning: boolean };

function toasts() {
  return renderHook(() => useNotifications()).result.current.toasts.map((t) => t.message);
}

beforeEach(() => {
  document.title = 'Acme · IMAP Copier';
});
afterEach(cleanup);

describe('useRunFinished', () => {
  it('announces a run it saw running once it finishes, in a toast and the tab title', () => {
    const { rerender } = renderHook((p: Props) => useRunFinished(p.run, p.isRunning), {
      initialProps: { run: { id: 3, status: 'running', copied: 0, errors: 0 }, isRunning: true },
    });
    expect(document.title).toBe('Acme · IMAP Copier');
    rerender({ run: { id: 3, status: 'done', copied: 40, errors: 1 }, isRunning: false });
    expect(document.title).toBe('! Run done with errors · Acme · IMAP Copier');
    expect(toasts()).toContain('Run #3 finished: done with errors (40 copied, 1 error)');
  });

  it('says nothing about a run that had already ended when the page opened', () => {
    renderHook((p: Props) => useRunFinished(p.run, p.isRunning), {
      initialProps: { run: { id: 4, status: 'done', copied: 1, errors: 0 }, isRunning: false },
    });
    expect(document.title).toBe('Acme · IMAP Copier');
    expect(toasts().some((t) => t.startsWith('Run #4'))).toBe(false);
  });
});
