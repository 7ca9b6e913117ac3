import { describe, expect, it } from 'vitest';
import { backoffDelay } from '@/lib/task-socket';

describe('websocket reconnect backoff', () => {
  it('doubles from 1 s up to 30 s, with jitter between half and all of it', () => {
    expect(backoffDelay(0, () => 1)).toBe(1000);
    expect(backoffDelay(0, () => 0)).toBe(500);
    expect(backoffDelay(3, () => 1)).toBe(8000);
    expect(backoffDelay(10, () => 1)).toBe(30_000);
    expect(backoffDelay(50, () => 0)).toBe(15_000);
  });
});
