import { formatDateTime, formatRelative } from '@/lib/format';

/** The only intervals the product offers (seconds); 0 is "off". */
export const schedulePresets = [
  { seconds: 0, label: 'Off' },
  { seconds: 3600, label: 'Every 1h' },
  { seconds: 10800, label: 'Every 3h' },
  { seconds: 21600, label: 'Every 6h' },
  { seconds: 43200, label: 'Every 12h' },
  { seconds: 86400, label: 'Every 24h' },
] as const;

export function scheduleLabel(seconds: number): string {
  const preset = schedulePresets.find((p) => p.seconds === seconds);
  if (preset) return preset.label;
  if (seconds <= 0) return 'Off';
  if (seconds % 3600 === 0) return `Every ${seconds / 3600}h`;
  if (seconds % 60 === 0) return `Every ${seconds / 60} min`;
  return `Every ${seconds} s`;
}

/** The presets, plus the current value if it was set to something else through the API. */
export function scheduleOptions(current: number): { seconds: number; label: string }[] {
  const options: { seconds: number; label: string }[] = [...schedulePresets];
  if (!options.some((o) => o.seconds === current)) {
    options.push({ seconds: current, label: `${scheduleLabel(current)} (custom)` });
    options.sort((a, b) => a.seconds - b.seconds);
  }
  return options;
}

type ScheduledTask = {
  status: string;
  broken: boolean;
  schedule_interval_seconds: number;
  next_run_at: string | null;
};

export type NextRunDisplay = { text: string; tone: 'muted' | 'normal' | 'info' | 'danger'; iso: string | null };

/** What to say about the next scheduled run, in the browser's local time. */
export function describeNextRun(
  task: ScheduledTask,
  now: Date,
  locale?: string,
  timeZone?: string,
): NextRunDisplay {
  if (task.broken) {
    return { text: 'Schedule stopped: a scheduled run ended with errors', tone: 'danger', iso: null };
  }
  if (task.schedule_interval_seconds <= 0) return { text: 'Schedule off', tone: 'muted', iso: null };
  if (task.status === 'running') return { text: 'Next run: after the current run', tone: 'info', iso: null };
  if (!task.next_run_at) return { text: 'Next run: not planned yet', tone: 'muted', iso: null };
  const iso = task.next_run_at;
  if (Date.parse(iso) <= now.getTime()) return { text: 'Next run: due now', tone: 'info', iso };
  const when = formatDateTime(iso, locale, timeZone);
  // With its UTC offset at that instant ("GMT+1"): admins of one task sit in different zones
  // (docs/console.md, "Run polish").
  const zone = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(new Date(iso))
    .find((p) => p.type === 'timeZoneName')?.value;
  return { text: `Next run: ${when}${zone ? ` ${zone}` : ''} (${formatRelative(iso, now)})`, tone: 'normal', iso };
}
