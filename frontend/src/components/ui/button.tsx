import type { ButtonHTMLAttributes, Ref } from 'react';
import { useBlockedReason, type Role } from '@/lib/role';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';

export type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: Variant;
  size?: 'sm' | 'md';
  isLoading?: boolean;
  ref?: Ref<HTMLButtonElement>;
  /** The least role the action needs: for a user below it the button is disabled and says why. */
  requires?: Role;
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
  ...rest
}: ButtonProps) {
  const blocked = useBlockedReason(requires);
  const classes = ['btn', `btn-${variant}`, size === 'sm' ? 'btn-sm' : '', className ?? ''].filter(Boolean);
  return (
    <button
      type={type === 'submit' ? 'submit' : type === 'reset' ? 'reset' : 'button'}
      className={classes.join(' ')}
      disabled={disabled || isLoading || blocked !== null}
      aria-busy={isLoading || undefined}
      title={blocked ?? title}
      data-blocked-reason={blocked ?? undefined}
      {...rest}
    >
      {isLoading ? <span className="spinner spinner-inline" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}
