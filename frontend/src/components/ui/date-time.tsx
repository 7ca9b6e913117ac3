import { formatDateTime, formatRelative } from '@/lib/format';
import { useNow } from '@/lib/use-now';

type Props = { iso: string | null | undefined; className?: string };

/**
 * An instant in the browser's local time with how long ago (or how soon) it is
 * next to it: "Nov 28, 2025, 6:06 AM · 5 min ago".
 */
export function DateTime({ iso, className }: Props) {
  const now = useNow();
  if (!iso || Number.isNaN(Date.parse(iso))) return <span className={className}>—</span>;
  return (
    <time dateTime={iso} className={className}>
      {formatDateTime(iso)}
      <span className="relative-time"> · {formatRelative(iso, now)}</span>
    </time>
  );
}
