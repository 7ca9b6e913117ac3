import { useEffect, useRef } from 'react';
import { pushToast } from '@/lib/notifications';
import { isTerminal } from '@/features/runs/lib/live-run';
import { finishedNotice } from '@/features/runs/lib/run-finished';

const FRONT_TAB_TITLE_MS = 10_000;

/**
 * A run seen running on this page that then finishes: a toast, and the tab's title starts with
 * "✓ Run done" (or how it ended) until the tab is looked at again (10 s when it is in front).
 */
export function useRunFinished(run: { id: number; status: string; copied: number; errors: number } | null, isRunning: boolean) {
  const seenRunning = useRef<number | null>(null);
  const latest = useRef(run);
  // Before the effect below (effects run in order): the counts at the moment the run ends.
  useEffect(() => {
    latest.current = run;
  });
  const runId = run?.id ?? null;
  const status = run?.status ?? null;
  useEffect(() => {
    if (runId === null || status === null) return;
    if (isRunning) {
      seenRunning.current = runId;
      return;
    }
    if (seenRunning.current !== runId || !isTerminal(status)) return;
    seenRunning.current = null;
    const now = latest.current;
    const notice = finishedNotice(runId, status, now?.copied ?? 0, now?.errors ?? 0);
    pushToast(notice.toast, notice.tone);
    const base = document.title;
    const titled = `${notice.title} · ${base}`;
    document.title = titled;
    // Left alone once the page has put another title (another page, a renamed task).
    const restore = () => {
      if (document.title === titled) document.title = base;
      window.removeEventListener('focus', restore);
    };
    window.addEventListener('focus', restore);
    if (document.hasFocus()) window.setTimeout(restore, FRONT_TAB_TITLE_MS);
  }, [runId, status, isRunning]);
}
