/**
 * The hash scheduler on simulated time: a manual clock runs its sleeps, and for a saturated core
 * each hash costs a fixed microsecond of simulated CPU, so slices, shares of the core and yields
 * are exact and repeat on any machine.
 */
import { describe, expect, test } from 'vitest';
import { ManualClock } from '../../runtime/test-support/manual-clock.js';
import { DEFAULT_BURST_MS, DEFAULT_SLICE_MS, HashScheduler, type HashClient } from './hash-scheduler.js';
import { HeaderHasher } from './sha256-midstate.js';

/** Simulated CPU: one hash takes a microsecond (a 1 MH/s core). */
const HASH_MS = 0.001;

/** A client that really hashes; with a CPU meter each hash also costs simulated time. */
class HashingClient implements HashClient {
  hashes = 0;
  calls = 0;
  working = true;
  private readonly hasher = new HeaderHasher();
  private readonly words = new Int32Array(8);
  constructor(
    public hashrateCap: number,
    private readonly cpu?: { ms: number },
  ) {
    this.hasher.load(Buffer.alloc(80, 1));
  }
  hasWork(): boolean {
    return this.working;
  }
  hashBatch(max: number): number {
    this.calls += 1;
    for (let i = 0; i < max; i += 1) this.hasher.hash(this.hashes + i, this.words);
    this.hashes += max;
    if (this.cpu) this.cpu.ms += max * HASH_MS;
    return max;
  }
}

/** Caps far below the simulated core: time is only the manual clock's. */
function idleCore(...caps: number[]) {
  const clock = new ManualClock(0);
  const scheduler = new HashScheduler({ clock });
  const clients = caps.map((c) => new HashingClient(c));
  for (const c of clients) scheduler.add(c);
  return { clock, scheduler, clients };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Caps above the simulated core: every hash moves the scheduler's time on. Credit starts after 1 ms. */
async function saturatedCore(...caps: number[]) {
  const clock = new ManualClock(0);
  const cpu = { ms: 0 };
  const scheduler = new HashScheduler({ clock, now: () => clock.now() + cpu.ms });
  const clients = caps.map((c) => new HashingClient(c, cpu));
  for (const c of clients) scheduler.add(c);
  await turn();
  clock.advance(1);
  return { scheduler, clients, cpu };
}

describe('HashScheduler', () => {
  test('a client hashes at its cap: never more than cap x time, and all of it once credit has built up', async () => {
    const { clock, scheduler, clients } = idleCore(20_000);
    const client = clients[0] as HashingClient;
    await clock.tick(1000);
    expect(client.hashes).toBeLessThanOrEqual(20_000);
    expect(client.hashes).toBeGreaterThanOrEqual(20_000 - (20_000 * DEFAULT_BURST_MS) / 1000);
    const before = client.hashes;
    await clock.tick(500);
    expect(client.hashes - before).toBeLessThanOrEqual(10_000 + (20_000 * DEFAULT_BURST_MS) / 1000);
    expect(client.hashes).toBeLessThanOrEqual(30_000);
    scheduler.remove(client);
  });

  test('credit banked while waiting is at most the burst', async () => {
    const { clock, scheduler, clients } = idleCore(20_000);
    const client = clients[0] as HashingClient;
    client.working = false;
    await clock.tick(10_000);
    expect(client.calls).toBe(0);
    client.working = true;
    scheduler.wake();
    await turn();
    expect(client.hashes).toBeLessThanOrEqual((20_000 * DEFAULT_BURST_MS) / 1000);
    scheduler.remove(client);
  });

  test('yields to the event loop after each slice while clients want more than the core', async () => {
    const { scheduler, clients, cpu } = await saturatedCore(1e9, 1e9);
    for (let i = 0; i < 20; i += 1) {
      const before = cpu.ms;
      await turn();
      // One slice per turn of the loop: at most sliceMs of hashing, plus the round that crossed it.
      expect(cpu.ms - before).toBeLessThanOrEqual(DEFAULT_SLICE_MS + 2 * 512 * HASH_MS);
    }
    expect(cpu.ms).toBeGreaterThan(20 * DEFAULT_SLICE_MS * 0.9);
    for (const c of clients) expect(c.hashes).toBeGreaterThan(0);
    for (const c of clients) scheduler.remove(c);
  });

  test('shares a saturated core in proportion to the caps', async () => {
    const { scheduler, clients } = await saturatedCore(1e9, 2e9);
    for (let i = 0; i < 50; i += 1) await turn();
    const [a, b] = clients as [HashingClient, HashingClient];
    expect(b.hashes / a.hashes).toBeGreaterThan(1.9);
    expect(b.hashes / a.hashes).toBeLessThan(2.1);
    for (const c of clients) scheduler.remove(c);
  });

  test('does not starve the clients late in the list when many equal caps saturate the core', async () => {
    const { scheduler, clients } = await saturatedCore(...Array.from({ length: 12 }, () => 5_000_000));
    for (let i = 0; i < 50; i += 1) await turn();
    const done = clients.map((c) => c.hashes);
    expect(Math.min(...done) / Math.max(...done)).toBeGreaterThan(0.9);
    for (const c of clients) scheduler.remove(c);
  });

  test('skips clients without work until woken', async () => {
    const { clock, scheduler, clients } = idleCore(50_000);
    const client = clients[0] as HashingClient;
    client.working = false;
    await clock.tick(100);
    expect(client.calls).toBe(0);
    client.working = true;
    scheduler.wake();
    await clock.tick(100);
    expect(client.calls).toBeGreaterThan(0);
    scheduler.remove(client);
  });

  test('a removed client is never called again, and an empty scheduler sets no timer', async () => {
    const { clock, scheduler, clients } = idleCore(50_000);
    const client = clients[0] as HashingClient;
    await clock.tick(50);
    scheduler.remove(client);
    const calls = client.calls;
    await clock.tick(100);
    expect(client.calls).toBe(calls);
    expect(scheduler.stats().clients).toBe(0);
    expect(clock.pending).toBe(0);
  });
});
