import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatCountOf,
  formatDateTime,
  formatDuration,
  formatEnd,
  formatRate,
  formatRelative,
  formatShortDateTime,
  percent,
  secondsBetween,
} from '@/lib/format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [1536, '1.5 KB'],
    [122 * 1024 * 1024, '122 MB'],
    [5.25 * 1024 ** 3, '5.3 GB'],
    [3 * 1024 ** 5, '3072 TB'],
  ])('%d bytes -> %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('shows a dash for missing or nonsense values', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [44.6, '45 s'],
    [125, '2 min 05 s'],
    [3600, '1 h 00 min'],
    [3 * 3600 + 7 * 60 + 30, '3 h 07 min'],
    [2 * 86400 + 4 * 3600, '2 d 4 h'],
  ])('%d s -> %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('handles missing values', () => {
    expect(formatDuration(null)).toBe('—');
  });
});

describe('secondsBetween', () => {
  it('measures RFC 3339 instants', () => {
    expect(secondsBetween('2025-11-28T10:00:00Z', '2025-11-28T10:02:05Z')).toBe(125);
  });
  it('is null while unfinished', () => {
    expect(secondsBetween('2025-11-28T10:00:00Z', null)).toBeNull();
  });
});

describe('formatDateTime', () => {
  it('shows a UTC instant in the given local zone', () => {
    expect(formatDateTime('2025-11-28T13:30:00Z', 'en-GB', 'Europe/Paris')).toBe('28 Nov 2025, 14:30');
    expect(formatDateTime('2025-11-28T13:30:00Z', 'en-US', 'America/New_York')).toBe('Nov 28, 2025, 8:30 AM');
  });
  it('shows a dash for null and garbage', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('not a date')).toBe('—');
  });
});

describe('formatEnd', () => {
  it('gives only the time on the day the run started, the date otherwise', () => {
    const zone = 'America/New_York';
    expect(formatEnd('2025-11-28T13:30:00Z', '2025-11-28T13:42:00Z', 'en-US', zone)).toBe('8:42 AM');
    expect(formatEnd('2025-11-28T13:30:00Z', '2025-11-29T06:00:00Z', 'en-US', zone)).toBe('Nov 29, 2025, 1:00 AM');
    expect(formatEnd('2025-11-28T13:30:00Z', null)).toBe('—');
  });
});

describe('formatShortDateTime', () => {
  it('drops the year for chart labels', () => {
    expect(formatShortDateTime('2025-11-28T13:30:00Z', 'en-US', 'America/New_York')).toBe('Nov 28, 8:30 AM');
    expect(formatShortDateTime(null)).toBe('—');
  });
});

describe('formatRelative', () => {
  const now = new Date('2025-11-28T12:00:00Z');
  it.each([
    ['2025-11-28T12:00:10Z', 'now'],
    ['2025-11-28T11:59:50Z', 'just now'],
    ['2025-11-28T12:05:00Z', 'in 5 min'],
    ['2025-11-28T14:05:00Z', 'in 2 h 05 min'],
    ['2025-11-28T11:00:00Z', '1 h 00 min ago'],
    ['2025-11-30T13:00:00Z', 'in 2 d 1 h'],
  ])('%s -> %s', (iso, text) => {
    expect(formatRelative(iso, now)).toBe(text);
  });
});

describe('small formatters', () => {
  it('formats counts with the locale grouping', () => {
    expect(formatCount(1234567, 'en-US')).toBe('1,234,567');
  });
  it('puts the noun in the plural unless there is exactly one', () => {
    expect(formatCountOf(1, 'error', 'en-US')).toBe('1 error');
    expect(formatCountOf(0, 'error', 'en-US')).toBe('0 errors');
    expect(formatCountOf(1200, 'error', 'en-US')).toBe('1,200 errors');
  });
  it('formats rates', () => {
    expect(formatRate(4.25)).toBe('4.3 msg/s');
    expect(formatRate(120.4)).toBe('120 msg/s');
    expect(formatRate(null)).toBe('—');
  });
  it('clamps percentages and needs a plan', () => {
    expect(percent(50, 200)).toBe(25);
    expect(percent(300, 200)).toBe(100);
    expect(percent(5, 0)).toBeNull();
    expect(percent(5, null)).toBeNull();
  });
});
