import type { Clock, TimerHandle } from '../runtime/clock.js';

interface Waiter {
  check(): void;
  timer: TimerHandle;
}

/**
 * Conditions on what a connection has received, re-checked on every `poke` (a line came, the
 * connection closed): each wait resolves with its probe's first value other than undefined, or
 * with undefined after its timeout or, when asked, once the connection is closed. No polling.
 */
export class LineWaits {
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly clock: Clock,
    private readonly isClosed: () => boolean,
  ) {}

  waitFor<T>(probe: () => T | undefined, timeoutMs: number, stopOnClose: boolean): Promise<T | undefined> {
    const now = probe();
    if (now !== undefined || (stopOnClose && this.isClosed())) return Promise.resolve(now);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        check: () => {
          const value = probe();
          if (value === undefined && !(stopOnClose && this.isClosed())) return;
          this.settle(waiter);
          resolve(value);
        },
        timer: this.clock.setTimeout(() => {
          this.settle(waiter);
          resolve(probe());
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  poke(): void {
    for (const w of [...this.waiters]) w.check();
  }

  /** Drops every pending wait unsettled (the owner closed the connection and awaits none of them). */
  drop(): void {
    for (const w of this.waiters) this.clock.clearTimeout(w.timer);
    this.waiters.clear();
  }

  private settle(waiter: Waiter): void {
    this.waiters.delete(waiter);
    this.clock.clearTimeout(waiter.timer);
  }
}
