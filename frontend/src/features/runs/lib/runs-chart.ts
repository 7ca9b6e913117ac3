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
  /** Centre of the duration dot; null for runs still going. */
  dotY: number | null;
};

export type ChartLayout = {
  points: ChartPoint[];
  /** The largest figures among finished runs (0 when none): the axis labels. */
  maxCopied: number;
  maxDuration: number;
  finishedCount: number;
  durationPath: string;
};

export type ChartBox = { width: number; height: number; top: number; bottom: number; left: number; right: number };

const isUnfinished = (run: ChartRun): boolean => run.finished_at === null || run.status === 'running';

function barTone(run: ChartRun): BarTone {
  if (isUnfinished(run)) return 'running';
  if (run.status === 'failed' || run.status === 'abandoned') return 'danger';
  if (run.total_errors > 0 || run.status === 'cancelled') return 'warning';
  return 'ok';
}

/**
 * Lay out the most recent runs oldest to newest, left to right: a bar for the
 * messages copied, a dot on a line for the duration (each on its own scale).
 * Only finished runs set the scales: a run in progress has no duration and its
 * count is still climbing, so it is drawn as a placeholder instead.
 */
export function layoutRunsChart(runsNewestFirst: readonly ChartRun[], box: ChartBox, maxRuns = 20): ChartLayout {
  const runs = runsNewestFirst.slice(0, maxRuns).toReversed();
  const finished = runs.filter((r) => !isUnfinished(r));
  const durations = runs.map((r) => (isUnfinished(r) ? null : secondsBetween(r.started_at, r.finished_at)));
  const maxCopied = Math.max(0, ...finished.map((r) => r.total_copied));
  const maxDuration = Math.max(0, ...durations.map((d) => d ?? 0));
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const slot = runs.length > 0 ? plotW / runs.length : plotW;
  const barW = Math.max(2, Math.min(28, slot * 0.6));
  const baseY = box.top + plotH;

  const points = runs.map((run, i): ChartPoint => {
    const duration = durations[i] ?? null;
    const tone = barTone(run);
    const barHeight = tone === 'running' ? plotH : (run.total_copied / Math.max(1, maxCopied)) * plotH;
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
      dotY: duration === null ? null : baseY - (duration / Math.max(1, maxDuration)) * plotH,
    };
  });

  const withDots = points.filter((p) => p.dotY !== null);
  const durationPath = withDots
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${(p.x + p.width / 2).toFixed(1)},${(p.dotY ?? 0).toFixed(1)}`)
    .join(' ');
  return { points, maxCopied, maxDuration, finishedCount: finished.length, durationPath };
}
