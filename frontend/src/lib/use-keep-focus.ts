import { useEffect, useRef } from 'react';

// The action button the user pressed last, by a stable key, and when: it survives a remount, so a
// button drawn anew while its action starts (its card re-rendered) takes the focus back.
let pressed: { key: string; at: number } | null = null;
// Long enough for the action to start and the page to settle; a page opened later is left alone.
const RESTORE_WITHIN_MS = 10_000;

/**
 * Keeps the keyboard focus on an action button after it is pressed: if the button is drawn anew
 * while it has the focus (removed without a blur), the new one takes the focus back. Any blur (the
 * user tabbed or clicked elsewhere) ends it. Pair it with Button's `keepsFocus`, so the browser
 * never drops the focus of a button that turns busy or off. `key` names the button on its page
 * (say, the action and the task id).
 */
export function useKeepFocus(key: string) {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (pressed?.key === key && lost && Date.now() - pressed.at < RESTORE_WITHIN_MS) ref.current?.focus();
  });
  return {
    ref,
    onPress: () => {
      pressed = { key, at: Date.now() };
    },
    onBlur: () => {
      if (pressed?.key === key) pressed = null;
    },
  };
}
