import { describe, expect, it } from 'vitest';
import { barTone, barValue, messagesLabel, totalValue } from '@/features/runs/lib/progress-display';

describe('progress bars', () => {
  it('are striped only while work goes on without a plan', () => {
    expect(barValue('running', 5, null)).toBeNull();
    expect(barValue('queued', 0, null)).toBe(0);
    expect(barValue('failed', 3, null)).toBe(0);
    expect(barValue('cancelled', 3, null)).toBe(0);
    expect(totalValue('failed', 3, null)).toBe(0);
    expect(totalValue('running', 3, null)).toBeNull();
  });

  it('fill up for a finished account whatever the plan said', () => {
    expect(barValue('ok', 1, 71)).toBe(100);
    expect(barValue('partial', 1, 71)).toBe(100);
    expect(barValue('running', 25, 100)).toBe(25);
    expect(totalValue('done', 1, 71)).toBe(100);
  });

  it('turn amber for a done run with errors', () => {
    expect(barTone('done', 2)).toBe('warning');
    expect(barTone('done')).toBe('success');
    expect(barTone('partial')).toBe('warning');
    expect(barTone('abandoned')).toBe('danger');
    expect(barTone('running')).toBe('info');
  });
});

describe('messagesLabel', () => {
  it('counts against the plan, in the singular where it is one', () => {
    expect(messagesLabel(96, 185, false)).toBe('96 of 185 msgs');
    expect(messagesLabel(1, 1, true)).toBe('1 of 1 msg');
    expect(messagesLabel(3, null, false)).toBe('3 msgs');
    expect(messagesLabel(1, null, true)).toBe('1 msg');
  });

  it('says when a finished account moved less than planned, and when there was nothing new', () => {
    expect(messagesLabel(1, 71, true)).toBe('1 msg (71 planned)');
    expect(messagesLabel(1, 71, false)).toBe('1 of 71 msgs');
    expect(messagesLabel(0, 0, true)).toBe('nothing new');
  });
});
