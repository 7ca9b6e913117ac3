import { describe, expect, it } from 'vitest';
import { layoutRunsChart, MIN_MARK } from '@/features/runs/lib/runs-chart';

const box = { width: 300, height: 120, top: 10, bottom: 10, left: 0, right: 0 };
const run = (id: number, copied: number, seconds: number | null, errors = 0, status?: string) => ({
  id,
  status: status ?? (seconds === null ? 'running' : 'done'),
  started_at: '2025-11-28T10:00:00Z',
  finished_at: seconds === null ? null : new Date(Date.parse('2025-11-28T10:00:00Z') + seconds * 1000).toISOString(),
  total_copied: copied,
  total_errors: errors,
});

describe('layoutRunsChart', () => {
  it('puts the oldest run on the left and scales bars and dots separately', () => {
    const layout = layoutRunsChart([run(3, 50, 30, 2), run(2, 100, 60), run(1, 0, 15)], box);
    expect(layout.points.map((p) => p.id)).toEqual([1, 2, 3]);
    expect(layout.maxCopied).toBe(100);
    expect(layout.maxDuration).toBe(60);
    const [first, second, third] = layout.points;
    expect(second?.barHeight).toBe(100);
    expect(third?.barHeight).toBe(50);
    expect(first?.barHeight).toBe(MIN_MARK); // copied nothing: still a mark
    expect(first?.empty).toBe(true);
    expect(second?.dotY).toBe(10);
    expect(third?.hasErrors).toBe(true);
    expect(first!.x).toBeLessThan(second!.x);
    expect(layout.durationPath.startsWith('M')).toBe(true);
  });

  it('keeps the last N runs and leaves running ones without a duration dot', () => {
    const runs = Array.from({ length: 30 }, (_, i) => run(30 - i, 10, i === 0 ? null : 5));
    const layout = layoutRunsChart(runs, box, 20);
    expect(layout.points).toHaveLength(20);
    expect(layout.points.at(-1)?.id).toBe(30);
    expect(layout.points.at(-1)?.dotY).toBeNull();
  });

  it('leaves a run in progress out of the scales and draws it as a placeholder', () => {
    const inProgress = { ...run(2, 5000, null), status: 'running' };
    const layout = layoutRunsChart([inProgress, run(1, 40, 20)], box);
    expect(layout.maxCopied).toBe(40);
    expect(layout.maxDuration).toBe(20);
    expect(layout.finishedCount).toBe(1);
    const [done, running] = layout.points;
    expect(done?.barHeight).toBe(100);
    expect(running?.tone).toBe('running');
    expect(running?.dotY).toBeNull();
  });

  it('has no scale at all while the only run is still going', () => {
    const layout = layoutRunsChart([run(1, 0, null)], box);
    expect(layout).toMatchObject({ maxCopied: 0, maxDuration: 0, finishedCount: 0, durationPath: '' });
  });

  it('tells clean runs from runs with errors and failed ones', () => {
    const layout = layoutRunsChart(
      [run(4, 1, 1, 0, 'cancelled'), run(3, 1, 1, 0, 'failed'), run(2, 1, 1, 2), run(1, 1, 1)],
      box,
    );
    expect(layout.points.map((p) => p.tone)).toEqual(['ok', 'warning', 'danger', 'warning']);
  });

  it('copes with no runs', () => {
    expect(layoutRunsChart([], box)).toEqual({
      points: [],
      maxCopied: 0,
      maxDuration: 0,
      maxErrors: 0,
      finishedCount: 0,
      durationPath: '',
    });
  });

  it('gives a failed or empty run a visible mark and plots errors below the axis on their own scale', () => {
    const withBand = { ...box, bottom: 40, errorBand: 30 };
    const layout = layoutRunsChart(
      [run(4, 0, 2, 40, 'failed'), run(3, 0, 5), run(2, 1000, 60, 10), run(1, 1000, 60)],
      withBand,
    );
    const [clean, someErrors, empty, failed] = layout.points;
    expect(layout.maxErrors).toBe(40);
    expect(failed).toMatchObject({ tone: 'danger', empty: true, barHeight: MIN_MARK, errorHeight: 28 });
    expect(empty).toMatchObject({ tone: 'ok', empty: true, barHeight: MIN_MARK, errorHeight: 0 });
    expect(someErrors?.errorHeight).toBe(7); // 10 of 40 errors, over the band less 2
    expect(someErrors?.errorY).toBe(withBand.height - withBand.bottom + 1);
    expect(clean).toMatchObject({ empty: false, errorHeight: 0 });
    expect(someErrors?.errorHeight).toBeGreaterThanOrEqual(MIN_MARK);
  });

  it('gives a run with a few errors among many a mark that shows', () => {
    const layout = layoutRunsChart([run(2, 5, 5, 1), run(1, 5, 5, 1000)], { ...box, errorBand: 30 });
    expect(layout.points[1]?.errorHeight).toBe(MIN_MARK);
  });
});
