import { useEffect, useState } from 'react';

/**
 * The rendered width of an element in CSS pixels, kept up to date as the window
 * resizes; `fallback` until it is measured (or where ResizeObserver is missing).
 * Returns a callback ref, so an element that mounts later is measured too.
 */
export function useElementWidth<T extends HTMLElement>(fallback: number): [(element: T | null) => void, number] {
  const [element, setElement] = useState<T | null>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    if (!element || typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(([entry]) => {
      const measured = Math.round(entry?.contentRect.width ?? 0);
      if (measured > 0) setWidth(measured);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return [setElement, width];
}
