import { describe, expect, it } from 'vitest';
import { LISTED_AT_MOST, liveList } from '@/features/runs/lib/live-list';

const byId = (a: { accountId: number }, b: { accountId: number }) => a.accountId - b.accountId;

describe('liveList', () => {
  it('lists a few accounts whole, the ones that need an eye first', () => {
    const items = [
      { accountId: 1, status: 'ok', errors: 0 },
      { accountId: 2, status: 'failed', errors: 1 },
      { accountId: 3, status: 'running', errors: 0 },
      { accountId: 4, status: 'ok', errors: 2 },
    ];
    const { listed, collapsed } = liveList(items, byId);
    expect(listed.map((a) => a.accountId)).toEqual([3, 2, 4, 1]);
    expect(collapsed).toEqual([]);
  });

  it('collapses the rest of 500 accounts into counts per status', () => {
    const items = Array.from({ length: 500 }, (_, i) => ({
      accountId: i + 1,
      status: i < 3 ? 'running' : i === 499 ? 'failed' : i < 300 ? 'ok' : 'queued',
      errors: i === 499 ? 1 : 0,
    }));
    const { listed, collapsed } = liveList(items, byId);
    expect(listed).toHaveLength(LISTED_AT_MOST);
    expect(listed.slice(0, 4).map((a) => a.accountId)).toEqual([1, 2, 3, 500]);
    expect(collapsed).toEqual([
      { status: 'ok', count: 297 - (LISTED_AT_MOST - 4) },
      { status: 'queued', count: 199 },
    ]);
    expect(liveList(items, byId, true).listed).toHaveLength(500);
  });
});
