import type { Clock } from '../../runtime/clock.js';

/** Waits `ms` milliseconds. Injected so reset timing can be tested with fake timers or a virtual clock. */
export type Sleep = (ms: number) => Promise<void>;

/** A Sleep that waits on `clock` (systemClock in production; fake timers replace its globals in tests). */
export function clockSleep(clock: Clock): Sleep {
  return (ms) =>
    new Promise<void>((resolve) => {
      clock.setTimeout(resolve, ms);
    });
}
