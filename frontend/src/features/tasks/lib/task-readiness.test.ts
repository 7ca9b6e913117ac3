import { describe, expect, it } from 'vitest';
import {
  cancelState,
  deleteTaskState,
  runState,
  scheduleBlocker,
  scheduleGate,
  testAllState,
} from '@/features/tasks/lib/task-readiness';

const ready = { total: 3, ok: 3, failed: 0, untested: 0 };
const account = (src_username: string, src: string, dst: string, enabled = true) => ({
  src_username,
  enabled,
  test_src_status: src,
  test_dst_status: dst,
});

describe('Run button', () => {
  it('is allowed when every account passed both tests', () => {
    expect(runState('idle', ready, false)).toEqual({ allowed: true, reason: null });
  });
  it('explains each blocker', () => {
    expect(runState('running', ready, false).reason).toBe('A run is already in progress.');
    expect(runState('idle', { total: 0, ok: 0, failed: 0, untested: 0 }, false).reason).toMatch(/Add at least one/);
    expect(runState('idle', { total: 3, ok: 2, failed: 1, untested: 0 }, false).reason).toBe(
      '1 account failed the login test. Fix and test again.',
    );
    expect(runState('idle', { total: 3, ok: 1, failed: 0, untested: 2 }, false).reason).toBe(
      '2 accounts not tested yet. Click Test all.',
    );
    expect(runState('idle', ready, true).allowed).toBe(false);
  });
});

describe('Test all and Cancel', () => {
  it('Test all needs accounts and no run', () => {
    expect(testAllState('idle', ready, false).allowed).toBe(true);
    expect(testAllState('running', ready, false).allowed).toBe(false);
    expect(testAllState('idle', { ...ready, total: 0 }, false).allowed).toBe(false);
  });
  it('Cancel only while running', () => {
    expect(cancelState('running').allowed).toBe(true);
    expect(cancelState('done')).toEqual({ allowed: false, reason: 'No run in progress.' });
    expect(cancelState('running', true).reason).toMatch(/^Stopping/);
  });
});

describe('Delete task and the schedule', () => {
  it('waits for a run to end before deleting', () => {
    expect(deleteTaskState('running').reason).toBe('Cancel the run or wait for it to finish first.');
    expect(deleteTaskState('done')).toEqual({ allowed: true, reason: null });
  });
  it('says why the schedule would be refused, how many accounts and which', () => {
    const gate = scheduleGate([
      account('ok@x', 'ok', 'ok'),
      account('bad@x', 'ok', 'fail'),
      account('new@x', 'untested', 'ok'),
      account('paused@x', 'fail', 'fail', false),
    ]);
    expect(gate).toEqual({ enabled: 3, failed: ['bad@x'], untested: ['new@x'] });
    expect(scheduleBlocker(gate)).toBe(
      '1 account failed the login test (bad@x); 1 account not tested yet (new@x): fix and test them, or pause them, before turning the schedule on.',
    );
    expect(scheduleBlocker(scheduleGate([account('ok@x', 'ok', 'ok'), account('p@x', 'fail', 'ok', false)]))).toBeNull();
    expect(scheduleBlocker(scheduleGate([]))).toMatch(/^Add accounts/);
    const many = scheduleGate(['a', 'b', 'c', 'd', 'e'].map((n) => account(n, 'fail', 'ok')));
    expect(scheduleBlocker(many)).toBe(
      '5 accounts failed the login test (a, b, c and 2 more): fix and test them, or pause them, before turning the schedule on.',
    );
  });
});
