import { EmptyState } from '@/components/ui/empty-state';
import { formatCount, formatDateTime, formatDuration } from '@/lib/format';
import type { Run } from '@/features/runs/api/run-schema';
import { layoutRunsChart } from '@/features/runs/lib/runs-chart';

const BOX = { width: 640, height: 180, top: 14, bottom: 22, left: 52, right: 52 };

/** Messages copied (bars) and duration (line) of the recent runs, oldest on the left. */
export function RunsChart({ runs }: { runs: Run[] }) {
  if (runs.length === 0) {
    return <EmptyState title="No runs yet" testId="runs-chart-empty">The chart fills in as runs finish.</EmptyState>;
  }
  const { points, maxCopied, maxDuration, durationPath } = layoutRunsChart(runs, BOX);
  const plotBottom = BOX.height - BOX.bottom;
  const latest = runs[0];
  const summary = `${points.length} most recent runs. Latest: ${formatCount(latest?.total_copied)} messages copied.`;

  return (
    <figure className="runs-chart" data-testid="runs-chart">
      <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} role="img" aria-label={summary} preserveAspectRatio="xMidYMid meet">
        <line className="axis" x1={BOX.left} x2={BOX.width - BOX.right} y1={plotBottom} y2={plotBottom} />
        <line className="grid" x1={BOX.left} x2={BOX.width - BOX.right} y1={BOX.top} y2={BOX.top} />
        <text className="axis-label" x={BOX.left - 6} y={BOX.top + 4} textAnchor="end">
          {formatCount(maxCopied)}
        </text>
        <text className="axis-label" x={BOX.left - 6} y={plotBottom} textAnchor="end">
          0
        </text>
        <text className="axis-label duration" x={BOX.width - BOX.right + 6} y={BOX.top + 4}>
          {formatDuration(maxDuration)}
        </text>
        {points.map((p) => (
          <g key={p.id} data-testid="runs-chart-bar" data-run-id={p.id}>
            <title>
              {`Run #${p.id} · ${formatDateTime(p.startedAt)} · ${p.status}\n${formatCount(p.copied)} copied · ${
                p.durationSeconds === null ? 'still running' : formatDuration(p.durationSeconds)
              }`}
            </title>
            <rect
              className={`bar ${p.hasErrors || p.status === 'failed' ? 'bar-danger' : ''}`}
              x={p.x}
              y={p.barY}
              width={p.width}
              height={Math.max(p.barHeight, 1)}
              rx={2}
            />
          </g>
        ))}
        {durationPath ? <path className="duration-line" d={durationPath} /> : null}
        {points.map((p) =>
          p.dotY === null ? null : <circle key={p.id} className="duration-dot" cx={p.x + p.width / 2} cy={p.dotY} r={3} />,
        )}
      </svg>
      <figcaption className="chart-legend">
        <span className="legend-item">
          <span className="swatch swatch-bar" aria-hidden="true" /> messages copied
        </span>
        <span className="legend-item">
          <span className="swatch swatch-line" aria-hidden="true" /> duration
        </span>
        <span className="legend-item">
          <span className="swatch swatch-danger" aria-hidden="true" /> run with errors
        </span>
      </figcaption>
    </figure>
  );
}
