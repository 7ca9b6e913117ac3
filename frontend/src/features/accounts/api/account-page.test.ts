import { describe, expect, it } from 'vitest';
import { accountPageQuery } from '@/features/accounts/api/account-page';

describe('accountPageQuery', () => {
  it('sends only the filters that are set', () => {
    expect(accountPageQuery({ q: '', testStatus: '', lastOutcome: '' }, null)).toBe('limit=50');
    expect(accountPageQuery({ q: ' bob ', testStatus: 'fail', lastOutcome: 'failed' }, '120', 10)).toBe(
      'limit=10&cursor=120&q=bob&test_status=fail&last_outcome=failed',
    );
  });
});
