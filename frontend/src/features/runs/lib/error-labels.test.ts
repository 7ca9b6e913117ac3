import { describe, expect, it } from 'vitest';
import { errorLabel, isMessageError } from '@/features/runs/lib/error-labels';

describe('errorLabel', () => {
  it('names the side and the kind', () => {
    expect(errorLabel({ side: 'dst', kind: 'login' })).toBe('Destination login');
    expect(errorLabel({ side: 'src', kind: 'tls' })).toBe('Source TLS');
    expect(errorLabel({ side: null, kind: 'folder' })).toBe('Folder');
    expect(errorLabel({ side: 'dst', kind: 'size' })).toBe('Destination message too large');
    expect(errorLabel({})).toBe('Error');
  });

  it('tells message errors from account-wide ones', () => {
    expect(isMessageError({ kind: 'message' })).toBe(true);
    expect(isMessageError({ kind: 'login' })).toBe(false);
    expect(isMessageError({})).toBe(true);
  });
});
