import { describe, expect, it } from 'vitest';
import {
  startPendingTests,
  summarizeReadiness,
  TEST_TIMEOUT_MS,
  testingAccountIds,
} from '@/features/accounts/lib/account-tests';

describe('login tests in flight', () => {
  const before = [
    { id: 1, tested_at: '2025-11-28T10:00:00Z' },
    { id: 2, tested_at: null },
  ];

  it('is pending until tested_at changes to a new value', () => {
    const pending = startPendingTests(before, 1000);
    expect(testingAccountIds(pending, before, 2000)).toEqual(new Set([1, 2]));
    const after = [
      { id: 1, tested_at: '2025-11-28T10:05:00Z' },
      { id: 2, tested_at: null },
    ];
    expect(testingAccountIds(pending, after, 2000)).toEqual(new Set([2]));
  });

  it('treats a cleared tested_at as still testing, and ignores accounts added later', () => {
    const pending = startPendingTests(before, 0);
    const after = [{ id: 1, tested_at: null }, { id: 2, tested_at: '2025-11-28T10:05:00Z' }, { id: 3, tested_at: null }];
    expect(testingAccountIds(pending, after, 10)).toEqual(new Set([1]));
  });

  it('gives up after the timeout', () => {
    const pending = startPendingTests(before, 0);
    expect(testingAccountIds(pending, before, TEST_TIMEOUT_MS + 1).size).toBe(0);
    expect(testingAccountIds(null, before, 0).size).toBe(0);
  });
});

describe('summarizeReadiness', () => {
  it('counts an account ready only when both sides passed', () => {
    const summary = summarizeReadiness([
      { test_src_status: 'ok', test_dst_status: 'ok' },
      { test_src_status: 'ok', test_dst_status: 'fail' },
      { test_src_status: 'ok', test_dst_status: 'untested' },
      { test_src_status: 'fail', test_dst_status: 'untested' },
    ]);
    expect(summary).toEqual({ total: 4, ok: 1, failed: 2, untested: 1 });
  });
});
