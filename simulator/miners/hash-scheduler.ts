/**
 * One scheduler per process shares the CPU between every simulated miner. Each miner's hashrate is
 * a cap, enforced with a token bucket; hashing runs in slices of at most `sliceMs` on the main
 * thread, and between slices the event loop runs (setImmediate comes after the I/O poll phase), so
 * sockets and timers are never starved. When the caps add up to more than one core can do, every
 * miner gets the same fraction of its cap.
 */
import type { Clock, TimerHandle } from '../../runtime/clock.js';

/** Longest stretch of hashing before the event loop gets a turn. */
export const DEFAULT_SLICE_MS = 2;
/** Credit a miner may bank while it waits: at most this much time's worth of hashes at its cap. */
export const DEFAULT_BURST_MS = 100;
/** Hashes per round for the fastest miner (~0.6 ms); others get the same share of their cap. */
const BASE_QUANTUM = 512;
const MIN_QUANTUM = 16;
/** Longest sleep while some miner has work but no credit yet. */
const MAX_SLEEP_MS = 50;

export interface HashClient {
  /** Hashes per second this client may use at most (0 pauses it). */
  readonly hashrateCap: number;
  /** Whether there is something to hash now. */
  hasWork(): boolean;
  /** Hashes at most `max` nonces and returns how many it did (0 when out of work). */
  hashBatch(max: number): number;
}

export interface HashSchedulerOptions {
  sliceMs?: number;
  burstMs?: number;
  /** Monotonic milliseconds; the default is performance.now(). Hashing is real work, so real time. */
  now?: () => number;
  /**
   * Time for the token bucket and the sleeps while credit builds up (its `now` unless `now` is
   * given). With a manual clock the miners hash exactly cap x the time the test advances.
   */
  clock?: Clock;
}

interface Entry {
  client: HashClient;
  credit: number;
}

export class HashScheduler {
  private readonly sliceMs: number;
  private readonly burstMs: number;
  private readonly now: () => number;
  private readonly entries: Entry[] = [];
  private last: number;
  private readonly clock: Clock | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private timer: TimerHandle | undefined;
  private totalHashes = 0;
  /** Where the next round starts (round robin across slices). */
  private cursor = 0;
  private busyMs = 0;

  constructor(options: HashSchedulerOptions = {}) {
    this.sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
    this.burstMs = options.burstMs ?? DEFAULT_BURST_MS;
    if (!(this.sliceMs > 0)) throw new TypeError(`sliceMs must be above 0, got ${this.sliceMs}`);
    if (!(this.burstMs > 0)) throw new TypeError(`burstMs must be above 0, got ${this.burstMs}`);
    this.clock = options.clock;
    const clock = options.clock;
    this.now = options.now ?? (clock ? () => clock.now() : () => performance.now());
    this.last = this.now();
  }

  add(client: HashClient): void {
    if (this.entries.some((e) => e.client === client)) return;
    this.entries.push({ client, credit: 0 });
    this.wake();
  }

  remove(client: HashClient): void {
    const i = this.entries.findIndex((e) => e.client === client);
    if (i >= 0) this.entries.splice(i, 1);
    if (this.cursor >= this.entries.length) this.cursor = 0;
    if (this.entries.length === 0) this.cancel();
  }

  /** Call when a client got new work, so it does not wait for the next poll. */
  wake(): void {
    if (this.immediate !== undefined) return;
    this.clearTimer();
    this.immediate = setImmediate(this.tick);
  }

  stats(): { clients: number; hashes: number; busyMs: number } {
    return { clients: this.entries.length, hashes: this.totalHashes, busyMs: this.busyMs };
  }

  private cancel(): void {
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.immediate = undefined;
    this.clearTimer();
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    if (this.clock) this.clock.clearTimeout(this.timer);
    else clearTimeout(this.timer as NodeJS.Timeout);
    this.timer = undefined;
  }

  private readonly tick = (): void => {
    this.immediate = undefined;
    this.timer = undefined;
    const start = this.now();
    this.refill(start);
    const deadline = start + this.sliceMs;
    const maxCap = this.maxActiveCap();
    let progressed = true;
    // Rounds start where the last slice ran out, so when the caps add up to more than the CPU
    // can do, the miners late in the list are not the ones that always go without.
    while (progressed && this.now() < deadline) {
      progressed = false;
      const count = this.entries.length;
      for (let i = 0; i < count; i += 1) {
        const index = (this.cursor + i) % count;
        const entry = this.entries[index] as Entry;
        const cap = entry.client.hashrateCap;
        if (!(cap > 0) || !entry.client.hasWork()) continue;
        const n = Math.min(Math.floor(entry.credit), quantumFor(cap, maxCap));
        if (n < 1) continue;
        const done = entry.client.hashBatch(n);
        entry.credit -= done;
        this.totalHashes += done;
        if (done > 0) progressed = true;
        if (this.now() >= deadline) {
          this.cursor = (index + 1) % count;
          break;
        }
      }
    }
    this.busyMs += this.now() - start;
    this.scheduleNext();
  };

  private refill(now: number): void {
    const dt = Math.max(0, now - this.last);
    this.last = now;
    for (const entry of this.entries) {
      const cap = entry.client.hashrateCap;
      if (!(cap > 0)) {
        entry.credit = 0;
        continue;
      }
      const limit = Math.max(MIN_QUANTUM, (cap * this.burstMs) / 1000);
      entry.credit = Math.min(limit, entry.credit + (cap * dt) / 1000);
    }
  }

  private maxActiveCap(): number {
    let max = 0;
    for (const entry of this.entries) max = Math.max(max, entry.client.hashrateCap);
    return max;
  }

  private scheduleNext(): void {
    let waitMs = Number.POSITIVE_INFINITY;
    const maxCap = this.maxActiveCap();
    for (const entry of this.entries) {
      const cap = entry.client.hashrateCap;
      if (!(cap > 0) || !entry.client.hasWork()) continue;
      const want = Math.min(quantumFor(cap, maxCap), Math.max(MIN_QUANTUM, (cap * this.burstMs) / 1000));
      if (entry.credit >= want) {
        waitMs = 0;
        break;
      }
      waitMs = Math.min(waitMs, ((want - entry.credit) * 1000) / cap);
    }
    if (waitMs === Number.POSITIVE_INFINITY) return; // idle until wake()
    if (waitMs === 0) {
      this.immediate = setImmediate(this.tick);
      return;
    }
    // Waiting for credit is a sleep of at least 1 ms: the bucket keeps what builds up meanwhile.
    const sleepMs = Math.min(MAX_SLEEP_MS, Math.max(1, Math.ceil(waitMs)));
    this.timer = this.clock ? this.clock.setTimeout(this.tick, sleepMs) : setTimeout(this.tick, sleepMs);
  }
}

/** A round's hashes for a client: proportional to its cap, the fastest client doing BASE_QUANTUM. */
function quantumFor(cap: number, maxCap: number): number {
  return Math.max(MIN_QUANTUM, Math.ceil((BASE_QUANTUM * cap) / maxCap));
}

let shared: HashScheduler | undefined;

/** The process-wide scheduler every miner uses unless given its own. */
export function sharedHashScheduler(): HashScheduler {
  shared ??= new HashScheduler();
  return shared;
}
