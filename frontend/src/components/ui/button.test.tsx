// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Button } from '@/components/ui/button';
import { RoleContext, type Role } from '@/lib/role';

function renderAs(role: Role) {
  render(
    <RoleContext value={role}>
      <Button requires="operator">Run now</Button>
      <Button>Reload</Button>
    </RoleContext>,
  );
}

describe('Button requires', () => {
  afterEach(cleanup);

  it('disables a change for a viewer and says why', () => {
    renderAs('viewer');
    const run = screen.getByRole('button', { name: 'Run now' });
    expect(run).toHaveProperty('disabled', true);
    expect(run.getAttribute('title')).toBe('Your role (viewer) cannot do this: it needs operator. Ask an admin.');
    expect(screen.getByRole('button', { name: 'Reload' })).toHaveProperty('disabled', false);
  });

  it('leaves it enabled for an operator', () => {
    renderAs('operator');
    const run = screen.getByRole('button', { name: 'Run now' });
    expect(run).toHaveProperty('disabled', false);
    expect(run.getAttribute('title')).toBeNull();
  });
});
