/**
 * Time, injected. Production code takes a Clock so vardiff, keepalives, timeouts and backoff can
 * be tested with vitest's fake timers (which replace the globals this default reads at call time).
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
}

export type TimerHandle = { unref?: () => unknown } | number;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => {
    if (h !== undefined) clearTimeout(h as NodeJS.Timeout);
  },
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => {
    if (h !== undefined) clearInterval(h as NodeJS.Timeout);
  },
};

/** Lets a timer not keep the process alive (no-op for fake timers that return numbers). */
export function unrefTimer(handle: TimerHandle): TimerHandle {
  if (typeof handle === 'object' && typeof handle.unref === 'function') handle.unref();
  return handle;
}
