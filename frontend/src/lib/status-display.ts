import { formatCountOf } from '@/lib/format';

// How a run, account or task status reads on screen. Runs, their accounts and
// tasks each show one, so the wording lives here rather than in one feature.

export type StatusTone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

export type StatusDisplay = {
  label: string;
  tone: StatusTone;
  /** A sentence for the tooltip, when the label alone could mislead. */
  hint: string | null;
};

const tones: Record<string, StatusTone> = {
  running: 'info',
  done: 'success',
  ok: 'success',
  failed: 'danger',
  abandoned: 'danger',
  cancelled: 'warning',
  partial: 'warning',
  pending: 'neutral',
  queued: 'neutral',
  skipped: 'neutral',
  idle: 'neutral',
};

const hints: Record<string, string> = {
  abandoned: 'The workers stopped answering, so the run was closed. Run it again: nothing is copied twice.',
  cancelled: 'Stopped on request; each account ended after its current batch.',
  failed: 'The run could not finish. The run log says why.',
};

/**
 * A run closes "done" even when the destination refused a few messages, and an
 * account then ends "partial": neither is an all-green result, so both read
 * "done with errors" in the warning colour. The status value itself (what the
 * data-status attributes carry) does not change.
 */
export function describeStatus(status: string, errors = 0): StatusDisplay {
  const withErrors = status === 'partial' || ((status === 'done' || status === 'ok') && errors > 0);
  if (withErrors) {
    const hint =
      errors > 0
        ? `Finished, but ${formatCountOf(errors, 'message')} could not be copied. The run log lists them.`
        : 'Finished, but some messages could not be copied. The run log lists them.';
    return { label: 'done with errors', tone: 'warning', hint };
  }
  return { label: status, tone: tones[status] ?? 'neutral', hint: hints[status] ?? null };
}
