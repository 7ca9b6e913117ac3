import type { ButtonHTMLAttributes, MouseEvent, Ref } from 'react';
import { useBlockedReason, type Role } from '@/lib/role';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';

export type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: Variant;
  size?: 'sm' | 'md';
  isLoading?: boolean;
  ref?: Ref<HTMLButtonElement>;
  /** The least role the action needs: for a user below it the button is disabled and says why. */
  requires?: Role;
  /**
   * Disabled or busy, it stays focusable (`aria-disabled`, clicks ignored) instead of taking the
   * `disabled` attribute: a browser moves the focus off a button that becomes disabled, so a
   * keyboard user who pressed Run now would lose their place while the run starts.
   */
  keepsFocus?: boolean;
};

export function Button({
  variant = 'secondary',
  size = 'md',
  isLoading = false,
  type = 'button',
  className,
  disabled,
  children,
  requires = 'viewer',
  title,
  keepsFocus = false,
  onClick,
  ...rest
}: ButtonProps) {
  const blocked = useBlockedReason(requires);
  const classes = ['btn', `btn-${variant}`, size === 'sm' ? 'btn-sm' : '', className ?? ''].filter(Boolean);
  const off = Boolean(disabled) || isLoading;
  const soft = keepsFocus && blocked === null;
  const click = (event: MouseEvent<HTMLButtonElement>) => {
    if (soft && off) {
      event.preventDefault();
      return;
    }
    onClick?.(event);
  };
  return (
    <button
      type={type === 'submit' ? 'submit' : type === 'reset' ? 'reset' : 'button'}
      className={classes.join(' ')}
      disabled={soft ? undefined : off || blocked !== null}
      aria-disabled={soft && off ? true : undefined}
      aria-busy={isLoading || undefined}
      title={blocked ?? title}
      data-blocked-reason={blocked ?? undefined}
      onClick={click}
      {...rest}
    >
      {isLoading ? <span className="spinner spinner-inline" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}
