import { useEffect, useRef } from 'react';

// The action button the user pressed last, by a stable key: it survives a remount, so a button
// that is drawn anew (its card re-rendered while a run starts) takes the focus back.
let pressed: string | null = null;

/**
 * Keeps the keyboard focus on an action button after it is pressed: if the button is drawn anew
 * while it has the focus (removed without a blur), the new one takes the focus back. Any blur (the
 * user tabbed or clicked elsewhere) ends it. Pair it with Button's `keepsFocus`, so the browser
 * never drops the focus of a button that turns busy or off.
 */
export function useKeepFocus(key: string) {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (pressed === key && lost) ref.current?.focus();
  });
  return {
    ref,
    onPress: () => {
      pressed = key;
    },
    onBlur: () => {
      if (pressed === key) pressed = null;
    },
  };
}
