import { formatCount, percent } from '@/lib/format';
import { isSuccess, isTerminal } from '@/features/runs/lib/live-run';

// What the live progress bars show: their value, colour and label, from a status and counts.

export function barTone(status: string, errors = 0): 'info' | 'success' | 'warning' | 'danger' {
  if (status === 'failed' || status === 'abandoned') return 'danger';
  if (status === 'partial' || status === 'cancelled') return 'warning';
  // A run closes "done" even when some messages were refused: not an all-green result.
  if (isSuccess(status)) return errors > 0 ? 'warning' : 'success';
  return 'info';
}

/**
 * The bar's value: the share of the plan while running; a finished account is complete whatever
 * the plan estimated. Striped (null) only while work is going on and no plan has arrived yet.
 */
export function barValue(status: string, done: number, planned: number | null): number | null {
  if (isSuccess(status) || status === 'partial') return 100;
  const value = percent(done, planned);
  if (value !== null) return value;
  return status === 'running' ? null : 0;
}

export function totalValue(status: string, processed: number, planned: number | null): number | null {
  if (isSuccess(status)) return 100;
  return percent(processed, planned) ?? (isTerminal(status) ? 0 : null);
}

const unit = (n: number): string => (n === 1 ? 'msg' : 'msgs');

/**
 * "96 of 185 msgs" against the plan; once finished, a plan that over-counted (messages
 * found already there, or not readable) is shown as what it was: "1 msg (71 planned)".
 */
export function messagesLabel(processed: number, planned: number | null, finished: boolean): string {
  if (planned === null) return `${formatCount(processed)} ${unit(processed)}`;
  if (planned === 0 && processed === 0) return 'nothing new';
  if (finished && processed !== planned) return `${formatCount(processed)} ${unit(processed)} (${formatCount(planned)} planned)`;
  return `${formatCount(processed)} of ${formatCount(planned)} ${unit(planned)}`;
}
