import { describe, expect, it } from 'vitest';
import { blockedReason, roleAllows } from '@/lib/role';

describe('roles', () => {
  it('orders viewer < operator < admin', () => {
    expect(roleAllows('viewer', 'viewer')).toBe(true);
    expect(roleAllows('viewer', 'operator')).toBe(false);
    expect(roleAllows('operator', 'operator')).toBe(true);
    expect(roleAllows('operator', 'admin')).toBe(false);
    expect(roleAllows('admin', 'operator')).toBe(true);
    expect(roleAllows(null, 'viewer')).toBe(false);
  });

  it('says why an action is blocked', () => {
    expect(blockedReason('viewer', 'operator')).toBe('Your role (viewer) cannot do this: it needs operator. Ask an admin.');
    expect(blockedReason('admin', 'admin')).toBeNull();
  });
});
