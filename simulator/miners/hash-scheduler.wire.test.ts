import { afterEach, describe, expect, test } from 'vitest';
import { HashScheduler, type HashClient } from './hash-scheduler.js';
import { HeaderHasher } from './sha256-midstate.js';

/** A client that really hashes, so the scheduler's slices cost real CPU. */
class HashingClient implements HashClient {
  hashes = 0;
  calls = 0;
  working = true;
  private readonly hasher = new HeaderHasher();
  private readonly words = new Uint32Array(8);
  constructor(public hashrateCap: number) {
    this.hasher.load(Buffer.alloc(80, 1));
  }
  hasWork(): boolean {
    return this.working;
  }
  hashBatch(max: number): number {
    this.calls += 1;
    for (let i = 0; i < max; i += 1) this.hasher.hash(this.hashes + i, this.words);
    this.hashes += max;
    return max;
  }
}

const schedulers: HashScheduler[] = [];
const clients: HashClient[] = [];
afterEach(() => {
  for (const s of schedulers) for (const c of clients) s.remove(c);
  schedulers.length = 0;
  clients.length = 0;
});

function setup(...caps: number[]): { scheduler: HashScheduler; clients: HashingClient[] } {
  const scheduler = new HashScheduler();
  schedulers.push(scheduler);
  const made = caps.map((c) => new HashingClient(c));
  for (const c of made) {
    clients.push(c);
    scheduler.add(c);
  }
  return { scheduler, clients: made };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('HashScheduler', () => {
  test('never lets a client hash faster than its cap (plus one burst)', async () => {
    const started = performance.now();
    const { clients: made } = setup(20_000);
    await sleep(300);
    const elapsed = (performance.now() - started) / 1000;
    const client = made[0] as HashingClient;
    expect(client.hashes).toBeGreaterThan(0);
    // Throttling can only make it slower on a busy machine, so an upper bound is robust.
    expect(client.hashes).toBeLessThanOrEqual(20_000 * elapsed + 20_000 * 0.1 + 16);
  });

  test('keeps the event loop turning while clients want more than a core', async () => {
    const { clients: made } = setup(1e9, 1e9);
    let timers = 0;
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        timers += 1;
        if (timers === 20) resolve();
        else setTimeout(tick, 1);
      };
      setTimeout(tick, 1);
    });
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(timers).toBe(20);
    expect((made[0] as HashingClient).hashes).toBeGreaterThan(0);
    expect((made[1] as HashingClient).hashes).toBeGreaterThan(0);
  });

  test('shares a saturated core in proportion to the caps', async () => {
    const { clients: made } = setup(1e9, 2e9);
    await sleep(300);
    const [a, b] = made as [HashingClient, HashingClient];
    expect(b.hashes / a.hashes).toBeGreaterThan(1.5);
    expect(b.hashes / a.hashes).toBeLessThan(2.5);
  });

  test('does not starve the clients late in the list when many equal caps saturate the core', async () => {
    const { clients: made } = setup(...Array.from({ length: 12 }, () => 5_000_000));
    await new Promise((r) => setTimeout(r, 600));
    const done = made.map((c) => c.hashes);
    const least = Math.min(...done);
    const most = Math.max(...done);
    expect(least).toBeGreaterThan(0);
    expect(least / most).toBeGreaterThan(0.5);
  });

  test('skips clients without work until woken', async () => {
    const { scheduler, clients: made } = setup(50_000);
    const client = made[0] as HashingClient;
    client.working = false;
    await sleep(100);
    expect(client.calls).toBe(0);
    client.working = true;
    scheduler.wake();
    await sleep(100);
    expect(client.calls).toBeGreaterThan(0);
  });

  test('a removed client is never called again', async () => {
    const { scheduler, clients: made } = setup(50_000);
    const client = made[0] as HashingClient;
    await sleep(50);
    scheduler.remove(client);
    const calls = client.calls;
    await sleep(100);
    expect(client.calls).toBe(calls);
    expect(scheduler.stats().clients).toBe(0);
  });
});
