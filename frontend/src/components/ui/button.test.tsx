// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

describe('Button keepsFocus', () => {
  afterEach(cleanup);

  it('stays focusable when busy or off, says so with aria-disabled and ignores clicks', () => {
    const onClick = vi.fn<() => void>();
    const { rerender } = render(
      <Button keepsFocus onClick={onClick}>
        Run now
      </Button>,
    );
    const button = screen.getByRole('button', { name: 'Run now' });
    button.focus();
    fireEvent.click(button);
    expect(onClick).toHaveBeenCalledTimes(1);
    rerender(
      <Button keepsFocus isLoading onClick={onClick}>
        Run now
      </Button>,
    );
    expect(button).toHaveProperty('disabled', false);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(button);
    fireEvent.click(button);
    rerender(
      <Button keepsFocus disabled onClick={onClick}>
        Run now
      </Button>,
    );
    fireEvent.click(button);
    expect(onClick).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(button);
  });
});
