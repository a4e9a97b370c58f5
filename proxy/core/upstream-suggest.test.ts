import { describe, expect, it } from 'vitest';
import { coreBench } from './test-support/core-bench.js';

/** A rack of NerdMiners in front of a pool that starts every session at 16384 (public-pool). */
async function nerdRack(o: Parameters<typeof coreBench>[0] = {}) {
  const b = coreBench({
    ...o,
    core: { upstreamSuggest: 'auto', ...o.core },
    pool: { difficulty: 16384, ...o.pool },
  });
  const rack = [b.connect('nerd.01'), b.connect('nerd.02')];
  for (const m of rack) {
    m.subscribe('NerdMinerV2/V1.8.3');
    m.authorize();
  }
  await b.settle();
  return { b, rack };
}

/** Connects NerdMiners nerd.<from>..nerd.<to> and lets 30 s pass. */
async function grow(b: ReturnType<typeof coreBench>, from: number, to: number): Promise<void> {
  for (let i = from; i <= to; i += 1) {
    const m = b.connect(`nerd.${i}`);
    m.subscribe('NerdMinerV2/V1.8.3');
    m.authorize();
  }
  await b.settle();
  await b.tick(30_000);
}

describe('upstream.suggest_difficulty: what the pool is asked for', () => {
  it('auto: after authorize, about one share for the pool every few seconds from the rack (public-pool honours it)', async () => {
    const { b } = await nerdRack();
    // Two NerdMiners at ~0.000698 per 10 s each: 0.00014 difficulty per second, x 5 s.
    expect(b.pool.suggestionsReceived).toEqual([0.000698]);
    expect(b.pool.difficulty).toBe(0.000698);
    expect(b.core.snapshot().upstream).toMatchObject({
      suggestedDifficulty: 0.000698,
      session: { difficulty: 0.000698 },
    });
  });

  it('tries an integer >= 1 once when a pool ignores a fraction (ckpool)', async () => {
    const c = coreBench({ core: { upstreamSuggest: 'auto' }, pool: { difficulty: 10_000 } });
    c.pool.suggestions = 'integer';
    const m = c.connect('nerd.01');
    m.subscribe('NerdMinerV2/V1.8.3');
    m.authorize();
    await c.settle();
    // One NerdMiner: its own difficulty (a pool difficulty below it would hold it down).
    expect(c.pool.suggestionsReceived).toEqual([0.000698]);
    expect(c.pool.difficulty).toBe(10_000);
    for (let t = 0; t < 60_000; t += 10_000) await c.tick(10_000);
    expect(c.pool.suggestionsReceived).toEqual([0.000698, 1]);
    expect(c.pool.difficulty).toBe(1);
  });

  it('stops asking when the pool takes only the first suggestion per connection (public-pool)', async () => {
    const { b } = await nerdRack({ core: { vardiff: { targetSecondsPerShare: 30 } } });
    b.pool.suggestions = 'once';
    await grow(b, 3, 30);
    // The connection took the first; the second (5x the rate) is ignored...
    expect(b.pool.suggestionsReceived).toEqual([0.0021, 0.0105]);
    await grow(b, 31, 150);
    // ... and not followed by more when the rack grows 5x again.
    expect(b.pool.suggestionsReceived).toEqual([0.0021, 0.0105]);
    expect(b.pool.difficulty).toBe(0.0021);
  });

  it('suggests again only when what the rack wants moved by more than 4x, and not to a pool that ignores it', async () => {
    // A 30 s vardiff target: no silence evidence within the first minute lowers the miners.
    const { b } = await nerdRack({ core: { vardiff: { targetSecondsPerShare: 30 } } });
    // Two NerdMiners at 0.0021 per 30 s: the rate asks for 0.0007, the miners' own difficulty more.
    expect(b.pool.suggestionsReceived).toEqual([0.0021]);
    await grow(b, 3, 20);
    // 20 miners: 0.007 by rate, 3.3x: not worth telling the pool.
    expect(b.pool.suggestionsReceived).toEqual([0.0021]);
    await grow(b, 21, 60);
    // 60 miners, 20 of them halved at the minute for want of a share: 0.0175 by rate, 8x.
    expect(b.pool.suggestionsReceived).toEqual([0.0021, 0.0175]);
    expect(b.pool.difficulty).toBe(0.0175);
    // Mainnet's network difficulty (nbits 17034219, about 8e13): no cap below a Bitaxe's.
    const quiet = coreBench({
      core: { upstreamSuggest: 'auto' },
      pool: { difficulty: 16384, nbits: '17034219' },
    });
    quiet.pool.suggestions = 'none';
    const m = quiet.connect('rig');
    m.subscribe('bitaxe/BM1366/v2.4.0');
    m.authorize();
    await quiet.settle();
    for (let t = 0; t < 120_000; t += 30_000) await quiet.tick(30_000);
    // A Bitaxe's ~1160 (an integer after rounding): ignored, and never repeated to a pool that does not listen.
    expect(quiet.pool.suggestionsReceived).toEqual([1160]);
  });

  it('never asks for more than a block needs (regtest: every block candidate meets the pool difficulty)', async () => {
    const { b } = await nerdRack({ pool: { nbits: '207fffff' } });
    const [first] = b.pool.suggestionsReceived;
    expect(first).toBeGreaterThan(4.6e-10);
    expect(first).toBeLessThan(4.7e-10);
  });

  it('a fixed number once per session, or nothing when off', async () => {
    const fixed = await nerdRack({ core: { upstreamSuggest: 2048 } });
    expect(fixed.b.pool.suggestionsReceived).toEqual([2048]);
    const off = await nerdRack({ core: { upstreamSuggest: 'off' } });
    expect(off.b.pool.suggestionsReceived).toEqual([]);
    expect(off.b.pool.difficulty).toBe(16384);
  });

  it('auto asks nothing when vardiff is off: the miners mine at the pool difficulty, as the pool sets it', async () => {
    const passThrough = await nerdRack({ core: { vardiff: { enabled: false } } });
    expect(passThrough.b.pool.suggestionsReceived).toEqual([]);
    expect(passThrough.rack[0]?.difficulty).toBe(16384);
    const fixed = await nerdRack({ core: { upstreamSuggest: 0.001, vardiff: { enabled: false } } });
    expect(fixed.b.pool.suggestionsReceived).toEqual([0.001]);
  });
});
