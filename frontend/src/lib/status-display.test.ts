import { describe, expect, it } from 'vitest';
import { describeStatus } from '@/lib/status-display';

describe('describeStatus', () => {
  it('reads a done run with errors as "done with errors" in the warning colour', () => {
    const shown = describeStatus('done', 3);
    expect(shown.label).toBe('done with errors');
    expect(shown.tone).toBe('warning');
    expect(shown.hint).toContain('3 messages could not be copied');
  });

  it('reads a partial account the same way, with or without a count', () => {
    expect(describeStatus('partial', 1)).toMatchObject({ label: 'done with errors', tone: 'warning' });
    expect(describeStatus('partial').hint).toContain('some messages');
    expect(describeStatus('partial', 1).hint).toContain('1 message could not');
  });

  it('keeps clean results green and other statuses as they are', () => {
    expect(describeStatus('done', 0)).toEqual({ label: 'done', tone: 'success', hint: null });
    expect(describeStatus('ok')).toMatchObject({ label: 'ok', tone: 'success' });
    expect(describeStatus('failed', 4)).toMatchObject({ label: 'failed', tone: 'danger' });
    expect(describeStatus('cancelled', 2)).toMatchObject({ label: 'cancelled', tone: 'warning' });
    expect(describeStatus('running')).toMatchObject({ label: 'running', tone: 'info' });
    expect(describeStatus('something-new')).toMatchObject({ label: 'something-new', tone: 'neutral' });
  });
});
