import { useEffect } from 'react';

const APP_NAME = 'IMAP Copier';

/** "Acme to New provider · IMAP Copier" in the browser tab, so several open tabs can be told apart. */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} · ${APP_NAME}` : APP_NAME;
  }, [title]);
}
