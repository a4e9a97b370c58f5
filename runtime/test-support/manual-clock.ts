import type { Clock, TimerHandle } from '../clock.js';
import { settle } from './in-memory-line-pair.js';

interface Timer {
  at: number;
  fn: () => void;
  every?: number;
}

/** A Clock whose timers run only when the test advances it; `now` starts at the real time. */
export class ManualClock implements Clock {
  private time: number;
  private readonly timers = new Map<number, Timer>();
  private seq = 0;

  constructor(start = Date.now()) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    this.seq += 1;
    this.timers.set(this.seq, { at: this.time + Math.max(0, ms), fn });
    return this.seq;
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    this.seq += 1;
    this.timers.set(this.seq, { at: this.time + ms, fn, every: Math.max(1, ms) });
    return this.seq;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle);
  }

  get pending(): number {
    return this.timers.size;
  }

  /** When the next timer falls due, or undefined when none is set. */
  get nextAt(): number | undefined {
    let next: number | undefined;
    for (const t of this.timers.values()) if (next === undefined || t.at < next) next = t.at;
    return next;
  }

  /** Moves time forward, running every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    while (this.fireNext(end));
    this.time = end;
  }

  /**
   * Moves time forward like advance(), but lets the in-memory network and promise continuations
   * settle after each timer, so code reacts to one timer before the next fires (as in real time).
   */
  async tick(ms: number): Promise<void> {
    const end = this.time + ms;
    await settle();
    while (this.fireNext(end)) await settle();
    this.time = end;
  }

  private fireNext(end: number): boolean {
    let next: [number, Timer] | undefined;
    for (const entry of this.timers)
      if (entry[1].at <= end && (next === undefined || entry[1].at < next[1].at)) next = entry;
    if (next === undefined) return false;
    const [id, timer] = next;
    this.time = timer.at;
    if (timer.every === undefined) this.timers.delete(id);
    else timer.at += timer.every;
    timer.fn();
    return true;
  }
}
