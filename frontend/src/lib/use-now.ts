import { useSyncExternalStore } from 'react';

// One timer per refresh interval for the whole page, however many relative
// times it shows (a table of accounts would otherwise start one per row).
type Clock = {
  now: Date;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | undefined;
  // Stable across renders: a new subscribe function would make React resubscribe every time.
  subscribe: (listener: () => void) => () => void;
  read: () => Date;
};
const clocks = new Map<number, Clock>();

function createClock(intervalMs: number): Clock {
  const clock: Clock = {
    now: new Date(),
    listeners: new Set(),
    timer: undefined,
    read: () => clock.now,
    subscribe: (listener) => {
      clock.listeners.add(listener);
      if (clock.timer === undefined) {
        // The clock slept while nothing showed a time: wake it up at the right time.
        clock.now = new Date();
        clock.timer = setInterval(() => {
          clock.now = new Date();
          for (const notify of clock.listeners) notify();
        }, intervalMs);
      }
      return () => {
        clock.listeners.delete(listener);
        if (clock.listeners.size === 0) {
          clearInterval(clock.timer);
          clock.timer = undefined;
        }
      };
    },
  };
  return clock;
}

function clockFor(intervalMs: number): Clock {
  let clock = clocks.get(intervalMs);
  if (!clock) {
    clock = createClock(intervalMs);
    clocks.set(intervalMs, clock);
  }
  return clock;
}

/** The current time, refreshed every `intervalMs`, for relative times like "in 5 min". */
export function useNow(intervalMs = 30_000): Date {
  const clock = clockFor(intervalMs);
  return useSyncExternalStore(clock.subscribe, clock.read);
}
