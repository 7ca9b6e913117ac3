import { describe, expect, it } from 'vitest';
import { describeNextRun, scheduleLabel, scheduleOptions, schedulePresets } from '@/features/tasks/lib/schedule';

describe('schedule presets', () => {
  it('are exactly Off, 1h, 3h, 6h, 12h and 24h', () => {
    expect(schedulePresets.map((p) => p.seconds)).toEqual([0, 3600, 10800, 21600, 43200, 86400]);
  });

  it.each([
    [0, 'Off'],
    [3600, 'Every 1h'],
    [86400, 'Every 24h'],
    [7200, 'Every 2h'],
    [5400, 'Every 90 min'],
    [45, 'Every 45 s'],
  ])('labels %d s as %s', (seconds, label) => {
    expect(scheduleLabel(seconds)).toBe(label);
  });

  it('adds an interval set outside the presets as a custom option, in order', () => {
    const options = scheduleOptions(7200);
    expect(options.map((o) => o.seconds)).toEqual([0, 3600, 7200, 10800, 21600, 43200, 86400]);
    expect(options[2]?.label).toBe('Every 2h (custom)');
    expect(scheduleOptions(3600)).toHaveLength(6);
  });
});

describe('describeNextRun', () => {
  const now = new Date('2025-11-28T12:00:00Z');
  const task = { status: 'idle', broken: false, schedule_interval_seconds: 3600, next_run_at: '2025-11-28T13:00:00Z' };

  it('shows the next run in local time with its zone and the distance', () => {
    const next = describeNextRun(task, now, 'en-GB', 'Europe/Paris');
    expect(next).toEqual({ text: 'Next run: 28 Nov 2025, 14:00 GMT+1 (in 1 h 00 min)', tone: 'normal', iso: task.next_run_at });
  });

  it('follows the browser zone', () => {
    expect(describeNextRun(task, now, 'en-US', 'America/Los_Angeles').text).toBe(
      'Next run: Nov 28, 2025, 5:00 AM GMT-8 (in 1 h 00 min)',
    );
  });

  it('says when the schedule is off', () => {
    expect(describeNextRun({ ...task, schedule_interval_seconds: 0, next_run_at: null }, now).text).toBe('Schedule off');
  });

  it('says the schedule stopped when the task is broken', () => {
    const next = describeNextRun({ ...task, broken: true, schedule_interval_seconds: 0, next_run_at: null }, now);
    expect(next.tone).toBe('danger');
    expect(next.text).toMatch(/stopped/);
  });

  it('waits for a running task', () => {
    expect(describeNextRun({ ...task, status: 'running', next_run_at: null }, now).text).toBe(
      'Next run: after the current run',
    );
  });

  it('says "due now" once the time has passed (the scheduler polls every 30 s)', () => {
    expect(describeNextRun({ ...task, next_run_at: '2025-11-28T11:59:50Z' }, now).text).toBe('Next run: due now');
  });
});
