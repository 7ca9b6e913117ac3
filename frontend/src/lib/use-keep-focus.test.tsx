// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useKeepFocus } from '@/lib/use-keep-focus';

function Action({ name }: { name: string }) {
  const { ref, onPress, onBlur } = useKeepFocus(`7:${name}`);
  return (
    <button type="button" ref={ref} onClick={onPress} onBlur={onBlur}>
      {name}
    </button>
  );
}

afterEach(cleanup);

describe('useKeepFocus', () => {
  it('gives the focus back to a pressed button drawn anew', () => {
    const { rerender } = render(<Action key="a" name="Run now" />);
    const first = screen.getByRole('button', { name: 'Run now' });
    first.focus();
    fireEvent.click(first);
    rerender(<Action key="b" name="Run now" />); // a new element: the old one is gone with its focus
    const second = screen.getByRole('button', { name: 'Run now' });
    expect(second).not.toBe(first);
    expect(document.activeElement).toBe(second);
  });

  it('leaves the focus alone once the user moved it', () => {
    const { rerender } = render(
      <>
        <Action key="a" name="Test all" />
        <input aria-label="elsewhere" />
      </>,
    );
    const button = screen.getByRole('button', { name: 'Test all' });
    button.focus();
    fireEvent.click(button);
    fireEvent.blur(button);
    (document.activeElement as HTMLElement | null)?.blur();
    rerender(
      <>
        <Action key="b" name="Test all" />
        <input aria-label="elsewhere" />
      </>,
    );
    expect(document.activeElement).not.toBe(screen.getByRole('button', { name: 'Test all' }));
  });
});
