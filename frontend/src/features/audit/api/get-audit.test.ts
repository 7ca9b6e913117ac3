import { describe, expect, it } from 'vitest';
import { auditPath } from '@/features/audit/api/get-audit';

describe('auditPath', () => {
  it('sends only the filters that are set, and the cursor', () => {
    expect(auditPath({ task_id: ' 7 ', user: '', action: 'set_schedule' }, null)).toBe(
      '/audit?limit=50&task_id=7&action=set_schedule',
    );
    expect(auditPath({ task_id: '', user: 'ann', action: '' }, 120)).toBe('/audit?limit=50&user=ann&cursor=120');
  });
});
