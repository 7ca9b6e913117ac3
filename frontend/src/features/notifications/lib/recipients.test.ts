import { describe, expect, it } from 'vitest';
import { parseRecipients } from '@/features/notifications/lib/recipients';

describe('parseRecipients', () => {
  it('splits on commas, semicolons and white space, drops blanks and repeats', () => {
    expect(parseRecipients(' ops@x.test, cto@x.test;\nops@x.test  ')).toEqual(['ops@x.test', 'cto@x.test']);
    expect(parseRecipients('')).toEqual([]);
  });
});
