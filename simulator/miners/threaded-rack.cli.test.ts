import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { PATIENCE } from '../../test-support/patience.js';
import { startPool, type PoolSimulator } from '../pool/index.js';
import type * as HashSchedulerModule from './hash-scheduler.js';
import type * as MinersModule from './index.js';
import type { RackEvent, ThreadedRack } from './index.js';

const ROOT = join(import.meta.dirname, '../..');
const BUILT = join(ROOT, 'dist/simulator/miners');

/** A worker thread runs JavaScript: the rack under test is the build's (the cli tier builds it once). */
type Built = typeof MinersModule;
type BuiltScheduler = typeof HashSchedulerModule;
let built: Built;
let scheduler: BuiltScheduler;

beforeAll(async () => {
  built = (await import(pathToFileURL(join(BUILT, 'index.js')).href)) as Built;
  scheduler = (await import(pathToFileURL(join(BUILT, 'hash-scheduler.js')).href)) as BuiltScheduler;
});

let pool: PoolSimulator | undefined;
let rack: ThreadedRack | undefined;
afterEach(async () => {
  await rack?.stop();
  await pool?.close();
  rack = undefined;
  pool = undefined;
});

describe('startThreadedRack', () => {
  test('the rack mines from worker threads: names, events, stats and console cross; nothing hashes here', async () => {
    // Shares of a few thousand hashes (a NerdMiner's never below its ~65k prefilter floor).
    pool = await startPool({ port: 0, difficulty: 1e-6, maxDifficulty: 1e-6 });
    const consoleLines: [string, string][] = [];
    rack = await built.startThreadedRack({
      url: pool.url,
      user: 'rack',
      counts: { nerdminer: 2, bitaxe: 1, cpu: 1, gpu: 1 },
      threads: 2,
      hashrates: { nerdminer: 400_000 },
      statsEveryMs: 100,
      console: (worker, line) => consoleLines.push([worker, line]),
    });
    expect(rack.threads).toBe(2);
    expect(rack.workers).toEqual([
      'rack.nerd-01',
      'rack.nerd-02',
      'rack.bitaxe-01',
      'rack.cpu-01',
      'rack.gpu-01',
    ]);
    const events: RackEvent[] = [];
    rack.on('event', (e) => events.push(e));
    await rack.everyMiner('share-accepted', 60_000);

    // This thread's scheduler hashes for nobody: the hashing is in the threads.
    expect(scheduler.sharedHashScheduler().stats()).toMatchObject({ clients: 0, hashes: 0 });
    expect(new Set(events.filter((e) => e.event === 'share-accepted').map((e) => e.worker)).size).toBe(5);
    expect(
      consoleLines.some(([w, line]) => w === 'rack.nerd-02' && line === '[WORKER] ==> Mining subscribe'),
    ).toBe(true);
    await rack.stop();
    const stats = rack.stats();
    expect(stats.map((s) => s.worker)).toEqual(rack.workers);
    for (const s of stats) expect(s.accepted).toBeGreaterThan(0);
    // Every session the threads opened is closed by stop() (the pool hears each close a moment later).
    const p = pool;
    await vi.waitFor(() => expect(p.sessions()).toEqual([]), PATIENCE);
    expect(Object.keys(pool.stats().workers).sort()).toEqual([...rack.workers].sort());
  }, 90_000);

  test('bad options are refused before any thread starts', async () => {
    await expect(built.startThreadedRack({ url: 'stratum+tcp://127.0.0.1:1', counts: {} })).rejects.toThrow(
      'at least one miner',
    );
    await expect(
      built.startThreadedRack({ url: 'stratum+tcp://127.0.0.1:1', counts: { cpu: 1 }, threads: 0 }),
    ).rejects.toThrow('threads: expected a whole number >= 1');
    await expect(built.startThreadedRack({ url: 'http://nope', counts: { cpu: 1 } })).rejects.toThrow(
      TypeError,
    );
  });
});
