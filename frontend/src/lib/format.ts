// Display formatting. Every function takes what it needs explicitly (locale,
// time zone, "now") so the tests do not depend on the machine running them.

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Bytes in binary units (1 KB = 1024 B), as mail servers report quotas. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

export function formatCount(n: number | null | undefined, locale?: string): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return new Intl.NumberFormat(locale).format(n);
}

/** "1 error", "1,024 errors": a count with its noun, singular for exactly one. */
export function formatCountOf(n: number, noun: string, locale?: string): string {
  return `${formatCount(n, locale)} ${noun}${n === 1 ? '' : 's'}`;
}

/** "45 s", "2 min 05 s", "3 h 07 min", "2 d 4 h". */
export function formatDuration(totalSeconds: number | null | undefined): string {
  if (totalSeconds === null || totalSeconds === undefined || !Number.isFinite(totalSeconds)) return '—';
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${String(s % 60).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** Seconds between two RFC 3339 instants; null if either is missing or invalid. */
export function secondsBetween(start: string | null | undefined, end: string | null | undefined): number | null {
  if (!start || !end) return null;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) ? Math.max(0, ms / 1000) : null;
}

/** An RFC 3339 instant in the browser's local time (or the given zone). */
export function formatDateTime(iso: string | null | undefined, locale?: string, timeZone?: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
}

/**
 * When something ended, next to when it started: only the time ("6:08 AM") on the
 * same local day, the full date otherwise.
 */
export function formatEnd(startIso: string, endIso: string | null, locale?: string, timeZone?: string): string {
  if (!endIso) return '—';
  const day = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeZone }).format(new Date(iso));
  const end = new Date(endIso);
  if (Number.isNaN(end.getTime()) || Number.isNaN(Date.parse(startIso)) || day(startIso) !== day(endIso)) {
    return formatDateTime(endIso, locale, timeZone);
  }
  return new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone }).format(end);
}

/** "Nov 28, 6:06 AM": short enough for a chart axis. */
export function formatShortDateTime(iso: string | null | undefined, locale?: string, timeZone?: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone }).format(
    date,
  );
}

function coarseDistance(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** "in 2 h 05 min", "5 min ago", "now": a coarse distance for humans. */
export function formatRelative(iso: string, now: Date): string {
  const seconds = (Date.parse(iso) - now.getTime()) / 1000;
  if (!Number.isFinite(seconds)) return '';
  if (Math.abs(seconds) < 30) return seconds > 0 ? 'now' : 'just now';
  const text = coarseDistance(Math.abs(seconds));
  return seconds > 0 ? `in ${text}` : `${text} ago`;
}

export function formatRate(msgsPerSecond: number | null | undefined): string {
  if (msgsPerSecond === null || msgsPerSecond === undefined || !Number.isFinite(msgsPerSecond)) return '—';
  const digits = msgsPerSecond >= 10 ? 0 : 1;
  return `${msgsPerSecond.toFixed(digits)} msg/s`;
}

/** 0..100, clamped; null when there is no plan to compare against. */
export function percent(done: number, total: number | null | undefined): number | null {
  if (!total || total <= 0) return null;
  return Math.max(0, Math.min(100, (done / total) * 100));
}
