// How a run that finishes while its task page is open announces itself: a toast and the tab's
// title (docs/console.md, "Run polish").
import { formatCount, formatCountOf } from '@/lib/format';
import { describeStatus } from '@/lib/status-display';
import type { Toast } from '@/lib/notifications';

export type FinishedNotice = { toast: string; tone: Toast['tone']; title: string };

export function finishedNotice(runId: number, status: string, copied: number, errors: number): FinishedNotice {
  const label = describeStatus(status, errors).label;
  const errorsText = errors > 0 ? `, ${formatCountOf(errors, 'error')}` : '';
  const clean = (status === 'done' || status === 'ok') && errors === 0;
  return {
    toast: `Run #${runId} finished: ${label} (${formatCount(copied)} copied${errorsText})`,
    tone: clean ? 'success' : 'info',
    title: `${clean ? '✓' : '!'} Run ${label}`,
  };
}
