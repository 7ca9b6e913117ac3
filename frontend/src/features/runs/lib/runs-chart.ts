import { secondsBetween } from '@/lib/format';

type ChartRun = {
  id: number;
  status: string;
  started_at: string;
  finished_at: string | null;
  total_copied: number;
  total_errors: number;
};

/** How a bar is drawn: clean, finished with errors, failed, or still going. */
export type BarTone = 'ok' | 'warning' | 'danger' | 'running';

export type ChartPoint = {
  id: number;
  status: string;
  tone: BarTone;
  hasErrors: boolean;
  copied: number;
  errors: number;
  durationSeconds: number | null;
  startedAt: string;
  /** The run's whole column, for the tooltip: a run that copied nothing has no bar to hover. */
  slotX: number;
  slotWidth: number;
  /** Bar geometry, in the chart's own coordinates. A running run's bar is a full-height placeholder. */
  x: number;
  width: number;
  barY: number;
  barHeight: number;
  /** A finished run that copied nothing still gets a mark of MIN_MARK on the axis, drawn hollow. */
  empty: boolean;
  /** The errors bar, hanging below the axis into the errors band (0 high without errors). */
  errorY: number;
  errorHeight: number;
  /** Centre of the duration dot; null for runs still going. */
  dotY: number | null;
};

/** The smallest mark a finished run gets, so a run that copied nothing (or failed at once) shows. */
export const MIN_MARK = 4;

export type ChartLayout = {
  points: ChartPoint[];
  /** The largest figures among finished runs (0 when none): the axis labels. */
  maxCopied: number;
  maxDuration: number;
  maxErrors: number;
  finishedCount: number;
  durationPath: string;
};

/**
 * The drawing area. `bottom` is below the axis: the errors band (`errorBand` high, errors drawn
 * downwards from the axis on their own scale), then the date labels.
 */
export type ChartBox = {
  width: number;
  height: number;
  top: number;
  bottom: number;
  left: number;
  right: number;
  errorBand?: number;
};

const isUnfinished = (run: ChartRun): boolean => run.finished_at === null || run.status === 'running';

function barTone(run: ChartRun): BarTone {
  if (isUnfinished(run)) return 'running';
  if (run.status === 'failed' || run.status === 'abandoned') return 'danger';
  if (run.total_errors > 0 || run.status === 'cancelled') return 'warning';
  return 'ok';
}

/**
 * Lay out the most recent runs oldest to newest, left to right: a bar for the
 * messages copied, a dot on a line for the duration, and below the axis a bar
 * for the errors (each on its own scale). Only finished runs set the scales: a
 * run in progress has no duration and its count is still climbing, so it is
 * drawn as a placeholder instead. A finished run always has a visible mark.
 */
export function layoutRunsChart(runsNewestFirst: readonly ChartRun[], box: ChartBox, maxRuns = 20): ChartLayout {
  const runs = runsNewestFirst.slice(0, maxRuns).toReversed();
  const finished = runs.filter((r) => !isUnfinished(r));
  const durations = runs.map((r) => (isUnfinished(r) ? null : secondsBetween(r.started_at, r.finished_at)));
  const maxCopied = Math.max(0, ...finished.map((r) => r.total_copied));
  const maxDuration = Math.max(0, ...durations.map((d) => d ?? 0));
  const maxErrors = Math.max(0, ...finished.map((r) => r.total_errors));
  const band = box.errorBand ?? 0;
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const slot = runs.length > 0 ? plotW / runs.length : plotW;
  const barW = Math.max(2, Math.min(28, slot * 0.6));
  const baseY = box.top + plotH;

  const points = runs.map((run, i): ChartPoint => {
    const duration = durations[i] ?? null;
    const tone = barTone(run);
    const scaled = (run.total_copied / Math.max(1, maxCopied)) * plotH;
    const barHeight = tone === 'running' ? plotH : Math.max(scaled, MIN_MARK);
    const errorHeight = tone === 'running' || run.total_errors === 0 ? 0 : Math.max((run.total_errors / maxErrors) * (band - 2), MIN_MARK);
    const centre = box.left + slot * i + slot / 2;
    return {
      id: run.id,
      status: run.status,
      tone,
      hasErrors: run.total_errors > 0,
      copied: run.total_copied,
      errors: run.total_errors,
      durationSeconds: duration,
      startedAt: run.started_at,
      slotX: box.left + slot * i,
      slotWidth: slot,
      x: centre - barW / 2,
      width: barW,
      barY: baseY - barHeight,
      barHeight,
      empty: tone !== 'running' && run.total_copied === 0,
      errorY: baseY + 1,
      errorHeight: Math.min(errorHeight, Math.max(0, band - 2)),
      dotY: duration === null ? null : baseY - (duration / Math.max(1, maxDuration)) * plotH,
    };
  });

  const withDots = points.filter((p) => p.dotY !== null);
  const durationPath = withDots
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${(p.x + p.width / 2).toFixed(1)},${(p.dotY ?? 0).toFixed(1)}`)
    .join(' ');
  return { points, maxCopied, maxDuration, maxErrors, finishedCount: finished.length, durationPath };
}
