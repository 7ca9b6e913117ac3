import { useSyncExternalStore } from 'react';

export type BannerError = { message: string; status: number; code: string };
export type Toast = { id: number; message: string; tone: 'success' | 'info' };
// modalDepth: while a modal dialog is open the page behind it is inert, so the
// error banner moves into the dialog.
type State = { banner: BannerError | null; toasts: Toast[]; modalDepth: number };

let state: State = { banner: null, toasts: [], modalDepth: 0 };
const listeners = new Set<() => void>();
let nextToastId = 1;

function setState(next: State): void {
  state = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function showErrorBanner(error: BannerError): void {
  setState({ ...state, banner: error });
}

export function clearErrorBanner(): void {
  if (state.banner) setState({ ...state, banner: null });
}

const TOAST_MS = 4000;
// A burst of actions (several rows deleted in a row) keeps only the latest few on screen.
const MAX_TOASTS = 3;

export function pushToast(message: string, tone: Toast['tone'] = 'success'): void {
  const toast = { id: nextToastId++, message, tone };
  setState({ ...state, toasts: [...state.toasts, toast].slice(-MAX_TOASTS) });
  setTimeout(() => dismissToast(toast.id), TOAST_MS);
}

export function dismissToast(id: number): void {
  if (state.toasts.some((t) => t.id === id)) setState({ ...state, toasts: state.toasts.filter((t) => t.id !== id) });
}

export function enterModal(): () => void {
  setState({ ...state, modalDepth: state.modalDepth + 1 });
  return () => setState({ ...state, modalDepth: Math.max(0, state.modalDepth - 1) });
}

export function useNotifications(): State {
  return useSyncExternalStore(subscribe, () => state);
}
