import { secondsBetween } from '@/lib/format';

type ChartRun = {
  id: number;
  status: string;
  started_at: string;
  finished_at: string | null;
  total_copied: number;
  total_errors: number;
};

export type ChartPoint = {
  id: number;
  status: string;
  hasErrors: boolean;
  copied: number;
  durationSeconds: number | null;
  startedAt: string;
  /** Bar geometry, in the chart's own coordinates. */
  x: number;
  width: number;
  barY: number;
  barHeight: number;
  /** Centre of the duration dot; null for runs still going. */
  dotY: number | null;
};

export type ChartLayout = { points: ChartPoint[]; maxCopied: number; maxDuration: number; durationPath: string };

export type ChartBox = { width: number; height: number; top: number; bottom: number; left: number; right: number };

/**
 * Lay out the most recent runs oldest to newest, left to right: a bar for the
 * messages copied, a dot on a line for the duration (each on its own scale).
 */
export function layoutRunsChart(runsNewestFirst: readonly ChartRun[], box: ChartBox, maxRuns = 20): ChartLayout {
  const runs = runsNewestFirst.slice(0, maxRuns).toReversed();
  const durations = runs.map((r) => secondsBetween(r.started_at, r.finished_at));
  const maxCopied = Math.max(1, ...runs.map((r) => r.total_copied));
  const maxDuration = Math.max(1, ...durations.map((d) => d ?? 0));
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const slot = runs.length > 0 ? plotW / runs.length : plotW;
  const barW = Math.max(2, Math.min(28, slot * 0.6));
  const baseY = box.top + plotH;

  const points = runs.map((run, i): ChartPoint => {
    const duration = durations[i] ?? null;
    const barHeight = (run.total_copied / maxCopied) * plotH;
    const centre = box.left + slot * i + slot / 2;
    return {
      id: run.id,
      status: run.status,
      hasErrors: run.total_errors > 0,
      copied: run.total_copied,
      durationSeconds: duration,
      startedAt: run.started_at,
      x: centre - barW / 2,
      width: barW,
      barY: baseY - barHeight,
      barHeight,
      dotY: duration === null ? null : baseY - (duration / maxDuration) * plotH,
    };
  });

  const withDots = points.filter((p) => p.dotY !== null);
  const durationPath = withDots
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${(p.x + p.width / 2).toFixed(1)},${(p.dotY ?? 0).toFixed(1)}`)
    .join(' ');
  return { points, maxCopied, maxDuration, durationPath };
}
