import { useEffect, useId, useRef, type ReactNode } from 'react';
import { ErrorBanner } from '@/components/ui/error-banner';
import { enterModal } from '@/lib/notifications';

type ModalProps = {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  footer?: ReactNode;
  size?: 'sm' | 'md' | 'lg';
  testId?: string;
};

/** Where the focus goes when the button that opened a dialog is gone (the row it deleted). */
function focusFallback(opener: Element | null): HTMLElement | null {
  const section = opener?.closest('section') ?? null;
  return section?.querySelector<HTMLElement>('h1, h2') ?? section ?? document.getElementById('main');
}

function focusTarget(target: HTMLElement): void {
  if (!target.hasAttribute('tabindex') && target.tabIndex < 0) target.setAttribute('tabindex', '-1');
  target.focus();
}

// A deleted row usually disappears only when its list has been fetched again, after the dialog closed.
const WATCH_REMOVAL_MS = 5_000;

function restoreFocus(opener: Element | null, fallback: HTMLElement | null): void {
  if (!(opener instanceof HTMLElement)) return;
  // The browser puts the focus back itself, but not on a button disabled meanwhile.
  if (opener.isConnected && document.activeElement === document.body) {
    if (opener.matches(':disabled') && fallback?.isConnected) focusTarget(fallback);
    else opener.focus();
  }
  const settle = (): boolean => {
    if (opener.isConnected) return document.activeElement !== opener; // the admin moved on: stop watching
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (lost && fallback?.isConnected) focusTarget(fallback);
    return true;
  };
  if (settle()) return;
  const observer = new MutationObserver(() => {
    if (settle()) stop();
  });
  const timer = setTimeout(() => stop(), WATCH_REMOVAL_MS);
  function stop(): void {
    observer.disconnect();
    clearTimeout(timer);
  }
  observer.observe(document.body, { childList: true, subtree: true });
}

/**
 * A native <dialog> opened with showModal(): the browser traps focus, makes the
 * page behind inert and turns Escape into a "cancel" event, which closes it.
 * The focus starts on the control marked data-autofocus (a form's first field,
 * a confirmation's Cancel) and, on close, goes back to the opener or, when the
 * opener is gone, to its section's heading.
 */
export function Modal({ open, onClose, title, children, footer, size = 'md', testId }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return undefined;
    const opener = document.activeElement;
    const fallback = focusFallback(opener);
    if (!dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (dialog.open) dialog.close();
      // After React has removed what the dialog's action deleted.
      setTimeout(() => restoreFocus(opener, fallback), 0);
    };
  }, [open]);

  useEffect(() => (open ? enterModal() : undefined), [open]);

  return (
    <dialog
      ref={ref}
      className={`modal modal-${size}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {open ? (
        <div className="modal-frame">
          <header className="modal-header">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
              ×
            </button>
          </header>
          <div className="modal-body">
            <ErrorBanner placement="modal" />
            {children}
          </div>
          {footer ? <footer className="modal-footer">{footer}</footer> : null}
        </div>
      ) : null}
    </dialog>
  );
}
