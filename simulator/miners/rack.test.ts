import { afterEach, describe, expect, test } from 'vitest';
import { DEFAULT_HASHRATES } from './options.js';
import { rackWorkers, startRack, type Rack, type RackEvent } from './rack.js';
import { formatSummary } from './summary-table.js';
import { MemoryHarness } from './test-support/memory-harness.js';
import { MemoryNetwork } from './test-support/memory-network.js';

let h = new MemoryHarness();
let rack: Rack | undefined;
afterEach(async () => {
  await rack?.stop();
  rack = undefined;
  await h.close();
  h = new MemoryHarness();
});

/** A rack that never reaches a pool: nothing listens on the in-memory network. */
function unreachable(options: Omit<Parameters<typeof startRack>[0], 'url'>): Rack {
  return startRack({ url: 'stratum+tcp://nobody.test:1', dial: new MemoryNetwork().dial, ...options });
}

describe('rackWorkers', () => {
  test('numbers each profile from 01 in a stable order', () => {
    expect(rackWorkers('me', { gpu: 1, nerdminer: 2, cpu: 0 })).toEqual([
      ['nerdminer', 'me.nerd-01'],
      ['nerdminer', 'me.nerd-02'],
      ['gpu', 'me.gpu-01'],
    ]);
  });

  test('select runs every of-th miner from index, names unchanged', async () => {
    const started = async (index: number) => {
      const r = unreachable({ counts: { nerdminer: 3, cpu: 2 }, select: { index, of: 2 } });
      const names = r.miners.map((m) => m.worker);
      await r.stop();
      return names;
    };
    expect(await started(0)).toEqual(['karoo.nerd-01', 'karoo.nerd-03', 'karoo.cpu-02']);
    expect(await started(1)).toEqual(['karoo.nerd-02', 'karoo.cpu-01']);
    expect(() => unreachable({ counts: { cpu: 1 }, select: { index: 2, of: 2 } })).toThrow(
      'select: expected 0 <= index < of',
    );
  });

  test('refuses bad counts and empty racks', () => {
    expect(() => rackWorkers('me', { cpu: -1 })).toThrow(TypeError);
    expect(() => unreachable({ counts: {} })).toThrow('at least one miner');
  });
});

describe('startRack', () => {
  test('every profile gets accepted shares, none rejected; the summary table lists each worker', async () => {
    const pool = h.pool({ difficulty: 1e-6 });
    rack = startRack({
      url: pool.url,
      user: 'rack',
      counts: { nerdminer: 2, bitaxe: 1, cpu: 1, gpu: 1 },
      hashrateScale: 2,
      // NerdMiners need ~65k hashes a share whatever the pool asks: theirs set apart from the scale.
      hashrates: { nerdminer: 400_000 },
      clock: h.clock,
      dial: h.network.dial,
      scheduler: h.scheduler,
    });
    const events: RackEvent[] = [];
    rack.on('event', (e) => events.push(e));
    const accepted = new Set<string>();
    rack.on('event', (e) => {
      if (e.event === 'share-accepted') accepted.add(e.worker);
    });
    await h.until(() => accepted.size === 5, 'a share accepted from every miner');
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
      expect(s.hashrateCap).toBe(s.profile === 'nerdminer' ? 400_000 : DEFAULT_HASHRATES[s.profile] * 2);
    }
    expect(events.filter((e) => e.event === 'share-rejected')).toEqual([]);
    const judged = new Set(pool.connections.flatMap((c) => c.shares.map((s) => s.worker)));
    expect([...judged].sort()).toEqual([
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
