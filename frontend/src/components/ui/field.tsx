import type { ReactNode } from 'react';

type FieldProps = {
  label: string;
  htmlFor: string;
  error?: string | undefined;
  hint?: ReactNode;
  children: ReactNode;
  className?: string;
};

/** A labelled form control with its hint and its error message, wired for screen readers. */
export function Field({ label, htmlFor, error, hint, children, className }: FieldProps) {
  return (
    <div className={`field ${error ? 'field-invalid' : ''} ${className ?? ''}`.trim()}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && !error ? (
        <p className="field-hint" id={`${htmlFor}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${htmlFor}-error`} role="alert" data-testid={`${htmlFor}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
