import { formatDateTime, formatRelative } from '@/lib/format';
import { useNow } from '@/lib/use-now';

type Props = {
  iso: string | null | undefined;
  /** The relative time on a line of its own (table cells), rather than after a dot. */
  stacked?: boolean;
};

/**
 * A past instant in the browser's local time with how long ago it was next to
 * it: "Nov 28, 2025, 6:06 AM · 5 min ago".
 */
export function DateTime({ iso, stacked = false }: Props) {
  const now = useNow();
  if (!iso || Number.isNaN(Date.parse(iso))) return <span>—</span>;
  // Past events only come here; the shared clock may lag its tick by a few seconds, so an
  // instant within the last minute (or seemingly just ahead) is "just now".
  const relative = Math.abs(Date.parse(iso) - now.getTime()) < 60_000 ? 'just now' : formatRelative(iso, now);
  return (
    <time dateTime={iso}>
      {formatDateTime(iso)}
      {stacked ? (
        <span className="relative-time stacked">{relative}</span>
      ) : (
        <span className="relative-time"> · {relative}</span>
      )}
    </time>
  );
}
