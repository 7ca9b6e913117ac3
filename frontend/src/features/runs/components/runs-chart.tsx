import type { MouseEvent } from 'react';
import { useNavigate } from 'react-router';
import { paths } from '@/config/paths';
import { EmptyState } from '@/components/ui/empty-state';
import { formatCount, formatCountOf, formatDateTime, formatDuration, formatShortDateTime } from '@/lib/format';
import { describeStatus } from '@/lib/status-display';
import { useElementWidth } from '@/lib/use-element-width';
import type { Run } from '@/features/runs/api/run-schema';
import { layoutRunsChart, type BarTone, type ChartPoint } from '@/features/runs/lib/runs-chart';

// Drawn at the card's real width (measured), so labels keep their size on a narrow window. Below
// the axis: the errors band (errors drawn downwards), then the dates.
const ERROR_BAND = 30;
const BOX = { width: 640, height: 214, top: 14, bottom: 26 + ERROR_BAND, left: 52, right: 52, errorBand: ERROR_BAND };
const MIN_WIDTH = 260;

const barClass: Record<BarTone, string> = {
  ok: 'bar',
  warning: 'bar bar-warning',
  danger: 'bar bar-danger',
  running: 'bar bar-running',
};

function barTitle(p: ChartPoint): string {
  const status = describeStatus(p.status, p.errors).label;
  const head = `Run #${p.id} · ${formatDateTime(p.startedAt)} · ${status}`;
  if (p.tone === 'running') return `${head}\nstill running: the bar fills in when it finishes`;
  const errors = ` · ${formatCountOf(p.errors, 'error')}`;
  return `${head}\n${formatCount(p.copied)} copied${errors} · took ${formatDuration(p.durationSeconds)}`;
}

function chartSummary(points: ChartPoint[], latest: Run | undefined): string {
  const failed = points.filter((p) => p.tone === 'danger').length;
  const withErrors = points.filter((p) => p.errors > 0).length;
  const empty = points.filter((p) => p.empty).length;
  const parts = [`${points.length} most recent runs`];
  if (failed) parts.push(`${failed} failed`);
  if (withErrors) parts.push(`${withErrors} with errors`);
  if (empty) parts.push(`${empty} copied nothing`);
  const last = latest ? ` Latest finished: ${formatCount(latest.total_copied)} messages copied, ${formatCountOf(latest.total_errors, 'error')}.` : '';
  return `${parts.join(', ')}.${last}`;
}

/** Messages copied (bars), errors (bars below the axis) and duration (line) of the recent runs, oldest on the left. */
export function RunsChart({ runs }: { runs: Run[] }) {
  const navigate = useNavigate();
  const [figureRef, measured] = useElementWidth<HTMLElement>(BOX.width);
  const box = { ...BOX, width: Math.max(MIN_WIDTH, measured) };
  const { points, maxCopied, maxDuration, maxErrors, finishedCount, durationPath } = layoutRunsChart(runs, box);
  if (finishedCount === 0) {
    const current = runs[0];
    return (
      <EmptyState title={current ? 'No finished runs yet' : 'No runs yet'} testId="runs-chart-empty">
        {current
          ? `Run #${current.id} is in progress; the chart fills in when it finishes.`
          : 'Each run adds a bar here: messages copied and how long it took.'}
      </EmptyState>
    );
  }
  const plotBottom = box.height - box.bottom;
  const dateY = plotBottom + ERROR_BAND + 18;
  // Each bar links to its run's log page; a plain click stays in the app. The chart is a group, not
  // an image, since its bars are links (an image may hold nothing focusable).
  const openRun = (e: MouseEvent, runId: number) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    void navigate(paths.run.href(runId));
  };
  const latest = runs.find((r) => r.finished_at !== null);
  const summary = chartSummary(points, latest);
  const tones = new Set(points.map((p) => p.tone));
  const first = points[0];
  const last = points.at(-1);

  return (
    <figure className="runs-chart" data-testid="runs-chart" ref={figureRef}>
      {/* An SVG chart whose bars are links has no HTML element to stand for it: a named group, as axe asks. */}
      {/* oxlint-disable-next-line jsx-a11y/prefer-tag-over-role */}
      <svg viewBox={`0 0 ${box.width} ${box.height}`} role="group" aria-label={summary} preserveAspectRatio="xMidYMid meet">
        <line className="axis" x1={box.left} x2={box.width - box.right} y1={plotBottom} y2={plotBottom} />
        <line className="grid" x1={box.left} x2={box.width - box.right} y1={box.top} y2={box.top} />
        <text className="axis-label" x={box.left - 6} y={box.top + 4} textAnchor="end">
          {formatCount(maxCopied)}
        </text>
        <text className="axis-label" x={box.left - 6} y={plotBottom} textAnchor="end">
          0
        </text>
        {maxErrors > 0 ? (
          <text className="axis-label errors" x={box.left - 6} y={plotBottom + ERROR_BAND - 2} textAnchor="end">
            {formatCount(maxErrors)}
          </text>
        ) : null}
        {maxDuration > 0 ? (
          <text className="axis-label duration" x={box.width - box.right + 6} y={box.top + 4}>
            {formatDuration(maxDuration)}
          </text>
        ) : null}
        {/* When the oldest and the newest run shown started, at the ends of the axis. */}
        {first && last === first ? (
          <text className="axis-label" x={first.x + first.width / 2} y={dateY} textAnchor="middle">
            {formatShortDateTime(first.startedAt)}
          </text>
        ) : null}
        {first && last && last !== first ? (
          <>
            <text className="axis-label" x={box.left} y={dateY} textAnchor="start">
              {formatShortDateTime(first.startedAt)}
            </text>
            <text className="axis-label" x={box.width - box.right} y={dateY} textAnchor="end">
              {formatShortDateTime(last.startedAt)}
            </text>
          </>
        ) : null}
        {points.map((p) => (
          <a key={p.id} href={paths.run.href(p.id)} onClick={(e) => openRun(e, p.id)} aria-label={barTitle(p).replace('\n', ' · ')}>
            <g data-testid="runs-chart-bar" data-run-id={p.id} data-tone={p.tone} data-empty={p.empty} data-errors={p.errors}>
              <title>{barTitle(p)}</title>
              <rect className="hit-area" x={p.slotX} y={box.top} width={p.slotWidth} height={plotBottom + ERROR_BAND - box.top} />
              <rect
                className={`${barClass[p.tone]}${p.empty ? ' bar-empty' : ''}`}
                x={p.x}
                y={p.barY}
                width={p.width}
                height={p.barHeight}
                rx={2}
                data-testid="runs-chart-mark"
              />
              {p.errorHeight > 0 ? (
                <rect className="bar-errors" x={p.x} y={p.errorY} width={p.width} height={p.errorHeight} rx={2} data-testid="runs-chart-errors" />
              ) : null}
            </g>
          </a>
        ))}
        {durationPath ? <path className="duration-line" d={durationPath} /> : null}
        {points.map((p) =>
          p.dotY === null ? null : <circle key={p.id} className="duration-dot" cx={p.x + p.width / 2} cy={p.dotY} r={3} />,
        )}
      </svg>
      <figcaption className="chart-legend">
        <LegendItem swatch="bar" label="messages copied" />
        <LegendItem swatch="line" label="duration" />
        {maxErrors > 0 ? <LegendItem swatch="errors" label="errors (below the axis)" /> : null}
        {points.some((p) => p.empty) ? <LegendItem swatch="empty" label="copied nothing" /> : null}
        {tones.has('warning') ? <LegendItem swatch="warning" label="finished with errors or cancelled" /> : null}
        {tones.has('danger') ? <LegendItem swatch="danger" label="failed" /> : null}
        {tones.has('running') ? <LegendItem swatch="running" label="in progress" /> : null}
      </figcaption>
      <RunsTable points={points} />
    </figure>
  );
}

/** The chart's figures as a table, for screen readers and anyone who wants the numbers. */
function RunsTable({ points }: { points: ChartPoint[] }) {
  return (
    <details className="runs-chart-table small" data-testid="runs-chart-table">
      <summary>The runs as a table</summary>
      <div className="table-wrap">
        <table className="table table-compact">
          <caption className="visually-hidden">Recent runs, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Started</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Copied
              </th>
              <th scope="col" className="num">
                Errors
              </th>
              <th scope="col" className="num">
                Took
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.id} data-testid="runs-chart-row" data-run-id={p.id}>
                <th scope="row">
                  <a href={paths.run.href(p.id)}>#{p.id}</a>
                </th>
                <td>{formatDateTime(p.startedAt)}</td>
                <td>{p.tone === 'running' ? 'running' : describeStatus(p.status, p.errors).label}</td>
                <td className="num">{formatCount(p.copied)}</td>
                <td className="num">{formatCount(p.errors)}</td>
                <td className="num">{p.tone === 'running' ? '—' : formatDuration(p.durationSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function LegendItem({ swatch, label }: { swatch: string; label: string }) {
  return (
    <span className="legend-item">
      <span className={`swatch swatch-${swatch}`} aria-hidden="true" /> {label}
    </span>
  );
}
