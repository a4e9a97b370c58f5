import { afterEach, describe, expect, test } from 'vitest';
import { startPool, type PoolSimulator } from '../pool/index.js';
import { DEFAULT_HASHRATES } from './options.js';
import { rackWorkers, startRack, type Rack, type RackEvent } from './rack.js';
import { formatSummary } from './summary-table.js';

let pool: PoolSimulator | undefined;
let rack: Rack | undefined;
afterEach(async () => {
  await rack?.stop();
  await pool?.close();
  rack = undefined;
  pool = undefined;
});

describe('rackWorkers', () => {
  test('numbers each profile from 01 in a stable order', () => {
    expect(rackWorkers('me', { gpu: 1, nerdminer: 2, cpu: 0 })).toEqual([
      ['nerdminer', 'me.nerd-01'],
      ['nerdminer', 'me.nerd-02'],
      ['gpu', 'me.gpu-01'],
    ]);
  });

  test('select runs every of-th miner from index, names unchanged', () => {
    const started = (index: number) => {
      const r = startRack({
        url: 'stratum+tcp://127.0.0.1:1',
        counts: { nerdminer: 3, cpu: 2 },
        select: { index, of: 2 },
      });
      const names = r.miners.map((m) => m.worker);
      void r.stop();
      return names;
    };
    expect(started(0)).toEqual(['karoo.nerd-01', 'karoo.nerd-03', 'karoo.cpu-02']);
    expect(started(1)).toEqual(['karoo.nerd-02', 'karoo.cpu-01']);
    expect(() =>
      startRack({ url: 'stratum+tcp://127.0.0.1:1', counts: { cpu: 1 }, select: { index: 2, of: 2 } }),
    ).toThrow('select: expected 0 <= index < of');
  });

  test('refuses bad counts and empty racks', () => {
    expect(() => rackWorkers('me', { cpu: -1 })).toThrow(TypeError);
    expect(() => startRack({ url: 'stratum+tcp://127.0.0.1:1', counts: {} })).toThrow('at least one miner');
  });
});

describe('startRack against the pool simulator', () => {
  test('every profile gets accepted shares, none rejected', async () => {
    // The pool honours each miner's first suggestion up to its max: keep that low enough for simulated rates.
    pool = await startPool({ port: 0, difficulty: 3e-5, maxDifficulty: 3e-5 });
    rack = startRack({
      url: pool.url,
      user: 'rack',
      counts: { nerdminer: 2, bitaxe: 1, cpu: 1, gpu: 1 },
      hashrateScale: 2,
    });
    const events: RackEvent[] = [];
    rack.on('event', (e) => events.push(e));
    await rack.everyMiner('share-accepted', 60_000);
    await rack.stop();
    const stats = rack.stats();
    expect(stats.map((s) => s.worker)).toEqual([
      'rack.nerd-01',
      'rack.nerd-02',
      'rack.bitaxe-01',
      'rack.cpu-01',
      'rack.gpu-01',
    ]);
    for (const s of stats) {
      expect(s.accepted).toBeGreaterThan(0);
      expect(s.rejected).toBe(0);
      expect(s.hashrateCap).toBe(DEFAULT_HASHRATES[s.profile] * 2);
    }
    expect(events.filter((e) => e.event === 'share-rejected')).toEqual([]);
    const poolWorkers = Object.keys(pool.stats().workers).sort();
    expect(poolWorkers).toEqual([
      'rack.bitaxe-01',
      'rack.cpu-01',
      'rack.gpu-01',
      'rack.nerd-01',
      'rack.nerd-02',
    ]);
    const table = formatSummary(stats);
    expect(table.split('\n')[0]).toMatch(
      /^worker\s+profile\s+sent\s+accepted\s+rejected\s+latency\s+hashrate/,
    );
    expect(table).toMatch(/^total\s+5 miners/m);
  });
});
