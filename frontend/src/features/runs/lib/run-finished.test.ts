import { describe, expect, it } from 'vitest';
import { finishedNotice } from '@/features/runs/lib/run-finished';

describe('finished run notice', () => {
  it('says how the run ended, with its counts', () => {
    expect(finishedNotice(5, 'done', 1200, 0)).toEqual({
      toast: 'Run #5 finished: done (1,200 copied)',
      tone: 'success',
      title: '✓ Run done',
    });
  });

  it('does not call a run with errors a success', () => {
    const notice = finishedNotice(6, 'done', 10, 2);
    expect(notice.toast).toBe('Run #6 finished: done with errors (10 copied, 2 errors)');
    expect(notice.tone).toBe('info');
    expect(notice.title).toBe('! Run done with errors');
  });
});
