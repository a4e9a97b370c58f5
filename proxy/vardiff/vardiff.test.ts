import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom as prng } from '../../runtime/test-support/seeded-random.js';
import { HASHES_PER_DIFFICULTY } from '../stats/index.js';
import { roundSignificant, Vardiff, type VardiffOptions } from './index.js';
import { resolveSettings, resolveShape } from './vardiff-options.js';

const BASE: Omit<VardiffOptions, 'initialDifficulty'> = {
  targetSecondsPerShare: 10,
  minDiff: 1e-5,
  maxDiff: 1e12,
  retargetEveryMs: 60_000,
  windowMs: 300_000,
  bucketMs: 15_000,
  startMs: 0,
};

interface Sample {
  at: number;
  difficulty: number;
}

/**
 * A miner of `hashrate` H/s: shares arrive as a Poisson process of rate H / (D * 2^32) at its
 * current difficulty D, which follows the vardiff at once. The proxy calls retarget on every share
 * and once a second. Returns the difficulty at each whole minute.
 */
function simulate(hashrate: number, vardiff: Vardiff, seed: number, durationMs: number): Sample[] {
  const random = prng(seed);
  const gap = (d: number) => (-Math.log(1 - random()) * d * HASHES_PER_DIFFICULTY * 1000) / hashrate;
  const samples: Sample[] = [];
  let nextShare = gap(vardiff.current);
  let nextTick = 1000;
  for (;;) {
    const shareFirst = nextShare < nextTick;
    const t = shareFirst ? nextShare : nextTick;
    if (t > durationMs) break;
    if (shareFirst) vardiff.recordShare(t, vardiff.current);
    else {
      nextTick += 1000;
      if (t % 60_000 === 0) samples.push({ at: t, difficulty: vardiff.current });
    }
    const change = vardiff.retarget(t);
    // Memoryless: after a change (or a share) the next share is drawn afresh from now.
    if (shareFirst || change) nextShare = t + gap(vardiff.current);
  }
  return samples;
}

const idealFor = (hashrate: number, targetSeconds = 10) => (hashrate * targetSeconds) / HASHES_PER_DIFFICULTY;
const SEEDS = Array.from({ length: 12 }, (_, i) => 1000 + i * 7919);

describe('Vardiff convergence (simulated miners)', () => {
  it('a NerdMiner (350 kH/s) suggesting 0.00015 reaches one share per 10 s within 3 retargets and stays there', () => {
    const H = 350e3;
    const ideal = idealFor(H); // ~0.000815
    for (const seed of SEEDS) {
      const v = new Vardiff({ ...BASE, initialDifficulty: 1 });
      expect(v.suggest(0.00015, 0)).toBe(true);
      const samples = simulate(H, v, seed, 3_600_000);
      for (const { at, difficulty } of samples.filter((s) => s.at >= 180_000)) {
        const off = difficulty / ideal;
        expect(off, `seed ${seed} at ${at / 1000} s: ${difficulty}`).toBeGreaterThan(0.5);
        expect(off, `seed ${seed} at ${at / 1000} s: ${difficulty}`).toBeLessThan(2);
      }
    }
  });

  it('a GPU (1 GH/s) starting at 0.001 converges within 3 retargets despite the initial share flood', () => {
    const H = 1e9;
    const ideal = idealFor(H); // ~2.33
    for (const seed of SEEDS) {
      const v = new Vardiff({ ...BASE, initialDifficulty: 0.001 });
      const samples = simulate(H, v, seed, 3_600_000);
      // The flood (232 shares/s) triggers an early retarget that jumps most of the way at once.
      expect(v.history[0]?.at ?? Infinity).toBeLessThan(5000);
      expect((v.history[0]?.to ?? 0) / ideal).toBeGreaterThan(0.5);
      for (const { at, difficulty } of samples.filter((s) => s.at >= 180_000)) {
        expect(difficulty / ideal, `seed ${seed} at ${at / 1000} s`).toBeGreaterThan(0.5);
        expect(difficulty / ideal, `seed ${seed} at ${at / 1000} s`).toBeLessThan(2);
      }
    }
  });

  it('a miner started far too high finds its difficulty through the silence (zero-share evidence)', () => {
    const H = 350e3;
    const v = new Vardiff({ ...BASE, initialDifficulty: 1 });
    const samples = simulate(H, v, 42, 3_600_000);
    const late = samples.filter((s) => s.at >= 1_800_000);
    for (const { difficulty } of late) {
      expect(difficulty / idealFor(H)).toBeGreaterThan(0.5);
      expect(difficulty / idealFor(H)).toBeLessThan(2);
    }
    // Before its first share the silence itself is the evidence: large steps down, not halvings.
    expect(v.history[0]).toMatchObject({ from: 1, reason: 'no-shares' });
    expect(v.history[0]?.to).toBeLessThanOrEqual(1 / 3);
  });

  it('does not chase noise: a miner started at its ideal difficulty sees few changes over hours', () => {
    const H = 5e11; // a Bitaxe-class miner
    for (const seed of SEEDS.slice(0, 4)) {
      const v = new Vardiff({
        ...BASE,
        initialDifficulty: roundSignificant(idealFor(H)),
        historyLimit: 1000,
      });
      simulate(H, v, seed, 4 * 3_600_000);
      // 240 retargets; each change is an extra set_difficulty for the miner.
      expect(v.history.length, `seed ${seed}`).toBeLessThanOrEqual(16);
    }
  });

  it('stays at the floor for a miner too slow for min_diff, and at the ceiling for one too fast', () => {
    const slow = new Vardiff({ ...BASE, minDiff: 1e-4, initialDifficulty: 0.01 });
    simulate(1e3, slow, 7, 3_600_000); // ideal 2.3e-6
    expect(slow.current).toBe(1e-4);
    expect(slow.history.every((h) => h.to >= 1e-4)).toBe(true);
    const fast = new Vardiff({ ...BASE, maxDiff: 1000, initialDifficulty: 1 });
    simulate(1e15, fast, 7, 600_000); // ideal 2.3e6
    expect(fast.current).toBe(1000);
    expect(fast.history.every((h) => h.to <= 1000)).toBe(true);
  });

  it('is exactly deterministic for a seed', () => {
    const run = () => {
      const v = new Vardiff({ ...BASE, initialDifficulty: 0.00015 });
      return simulate(350e3, v, 99, 1_200_000);
    };
    expect(run()).toEqual(run());
  });
});

describe('Vardiff rules', () => {
  const make = (overrides: Partial<VardiffOptions> = {}) =>
    new Vardiff({ ...BASE, initialDifficulty: 1, ...overrides });

  it('clamps the initial difficulty and refuses bad options', () => {
    expect(make({ initialDifficulty: 1e-9 }).current).toBe(1e-5);
    expect(make({ initialDifficulty: 1e20 }).current).toBe(1e12);
    expect(() => make({ initialDifficulty: 0 })).toThrow(RangeError);
    expect(() => make({ minDiff: 0 })).toThrow(RangeError);
    expect(() => make({ minDiff: 2, maxDiff: 1 })).toThrow(RangeError);
    expect(() => make({ targetSecondsPerShare: Number.NaN })).toThrow(RangeError);
    expect(() => make({ maxStep: 1 })).toThrow(RangeError);
    // The window and history are made later, on first use; their sizes are refused now.
    expect(() => make({ windowMs: 1000, bucketMs: 2000 })).toThrow(RangeError);
    expect(() => make({ bucketMs: 0 })).toThrow(RangeError);
    expect(() => make({ historyLimit: 0 })).toThrow(RangeError);
  });

  it('a miner with no share yet: an empty history, and an estimate over the window it would have', () => {
    const v = make({ windowMs: 60_000, bucketMs: 15_000, startMs: 0 });
    expect(v.history).toEqual([]);
    // The window covers [sinceMs, now]: 4 buckets of 15 s back from 100 s is 45 s..100 s.
    expect(v.estimate(100_000)).toEqual({ hashrate: 0, shares: 0, elapsedMs: 55_000, idealDifficulty: 0 });
    v.recordShare(100_000, 1);
    expect(v.estimate(100_000).shares).toBe(1);
  });

  it('honours the first suggest_difficulty (clamped) and ignores the keepalive repeats', () => {
    const v = make({ minDiff: 0.0002 });
    expect(v.suggest(Number.NaN, 0)).toBe(false);
    expect(v.suggest(-1, 0)).toBe(false);
    expect(v.hasSuggestion).toBe(false);
    expect(v.suggest(0.00015, 1000)).toBe(true);
    expect(v.current).toBe(0.0002);
    for (let t = 31_000; t < 300_000; t += 30_000) expect(v.suggest(0.00015, t)).toBe(false);
    expect(v.suggest(5, 400_000)).toBe(false);
    expect(v.current).toBe(0.0002);
    expect(v.history).toEqual([{ at: 1000, from: 1, to: 0.0002, reason: 'suggested' }]);
  });

  it('acts only when a retarget is due', () => {
    const v = make();
    // 30 shares in the first minute at a 10 s target (5x too fast, under the flood threshold).
    for (let t = 2_000; t <= 58_000; t += 2_000) v.recordShare(t, 1);
    expect(v.retarget(58_000)).toBeNull();
    expect(v.retarget(59_999)).toBeNull();
    expect(v.retarget(60_000)?.reason).toBe('too-fast');
    expect(v.retarget(60_001)).toBeNull();
  });

  it('before its first share, goes straight to what the silence bounds: D x target / quiet', () => {
    const v = make();
    expect(v.retarget(29_999)).toBeNull();
    // 30 s (3 target periods) without a share at difficulty 1: at most 1/3.
    expect(v.retarget(30_000)).toEqual({ from: 1, to: 0.333, reason: 'no-shares' });
    // The evidence starts again at the new difficulty.
    expect(v.retarget(59_999)).toBeNull();
    expect(v.retarget(60_000)).toEqual({ from: 0.333, to: 0.111, reason: 'no-shares' });
    v.recordShare(61_000, 0.111);
    // Once it has found a share, silences are judged by the window, not by evidence.
    expect(v.retarget(100_000)).toBeNull();
  });

  it('halves every period a miner that found shares falls silent, down to the floor', () => {
    const v = make({ minDiff: 0.1 });
    v.recordShare(1_000, 1);
    const seen: number[] = [];
    // The window (5 min) empties of the share after 300 s; each retarget after that halves.
    for (let t = 360_000; t <= 900_000; t += 60_000) {
      v.retarget(t);
      seen.push(v.current);
    }
    expect(seen.slice(0, 5)).toEqual([0.5, 0.25, 0.125, 0.1, 0.1]);
    expect(v.history.at(-1)?.reason).toBe('no-shares');
  });

  it('leaves an on-target miner alone', () => {
    const v = make();
    for (let t = 10_000; t <= 3_600_000; t += 10_000) {
      v.recordShare(t, 1);
      expect(v.retarget(t)).toBeNull();
    }
    expect(v.history).toEqual([]);
  });

  it('once settled, moves at most x4 per retarget', () => {
    const v = make();
    for (let t = 10_000; t <= 300_000; t += 10_000) {
      v.recordShare(t, 1);
      v.retarget(t);
    }
    expect(v.current).toBe(1);
    // Now the miner gets 100x faster: at difficulty D, a share every D * 100 ms.
    const ups: number[] = [];
    for (let t = 300_100; t <= 900_000; t += v.current * 100) {
      v.recordShare(t, v.current);
      const change = v.retarget(t);
      if (change) ups.push(change.to / change.from);
    }
    expect(ups.length).toBeGreaterThan(1);
    for (const step of ups) expect(step).toBeLessThanOrEqual(4);
    expect(v.current / 100).toBeGreaterThan(0.5);
    expect(v.current / 100).toBeLessThan(2);
  });

  it('retargets early on a share flood, but not within a second of the last retarget', () => {
    const v = make();
    for (let i = 1; i <= 40; i += 1) v.recordShare(i * 10, 1); // 40 shares in 0.4 s
    expect(v.retarget(400)).toBeNull();
    const change = v.retarget(1000);
    expect(change?.reason).toBe('too-fast');
    // 40 shares of difficulty 1 in 1 s at one share per 10 s: ideal 400, reached in one jump.
    expect(change?.to).toBe(400);
  });

  it('keeps a bounded history', () => {
    const v = make({ historyLimit: 5, minDiff: 1e-9 });
    for (let t = 30_000; t <= 1_200_000; t += 30_000) v.retarget(t);
    expect(v.history).toHaveLength(5);
    expect(v.history.at(-1)?.reason).toBe('no-shares');
    expect(v.history.at(-1)?.to).toBe(v.current);
  });

  it('miners on the same numbers share one frozen copy of them; a reconfigured one gets its own', () => {
    const a = resolveSettings(BASE);
    const b = resolveSettings({ ...BASE });
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    const c = resolveSettings({ minDiff: 2 }, a);
    expect(c).not.toBe(a);
    expect([a.minDiff, c.minDiff, c.maxDiff]).toEqual([BASE.minDiff, 2, BASE.maxDiff]);
    expect(resolveSettings(BASE)).toEqual(a);
    // The same for the window and history sizes.
    const shape = resolveShape({ windowMs: 60_000, bucketMs: 15_000 });
    expect(resolveShape({ windowMs: 60_000, bucketMs: 15_000 })).toBe(shape);
    expect(Object.isFrozen(shape)).toBe(true);
    expect(resolveShape({ windowMs: 60_000, bucketMs: 15_000, historyLimit: 8 })).not.toBe(shape);
  });

  it('reconfigure clamps into new limits at once', () => {
    const v = make();
    expect(v.reconfigure({ minDiff: 2 }, 5)).toEqual({ from: 1, to: 2, reason: 'reconfigured' });
    expect(v.reconfigure({ targetSecondsPerShare: 15 }, 6)).toBeNull();
    expect(() => v.reconfigure({ maxDiff: 1 }, 7)).toThrow(RangeError);
    expect(v.current).toBe(2);
  });

  it('estimates hashrate from difficulty-weighted shares', () => {
    const v = make({ startMs: 0 });
    v.recordShare(30_000, 0.5);
    v.recordShare(60_000, 1.5);
    const e = v.estimate(60_000);
    expect(e.shares).toBe(2);
    expect(e.elapsedMs).toBe(60_000);
    expect(e.hashrate).toBeCloseTo((2 * HASHES_PER_DIFFICULTY) / 60, 3);
    expect(e.idealDifficulty).toBeCloseTo((2 / 60) * 10, 12);
  });

  it('ignores junk share difficulties', () => {
    const v = make();
    v.recordShare(1, Number.NaN);
    v.recordShare(2, -1);
    v.recordShare(3, Number.POSITIVE_INFINITY);
    expect(v.estimate(60_000).shares).toBe(0);
  });

  it('never produces NaN, Infinity or a difficulty outside the limits (property)', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('share' as const),
        dt: fc.integer({ min: 0, max: 120_000 }),
        d: fc.double(),
      }),
      fc.record({ kind: fc.constant('tick' as const), dt: fc.integer({ min: 0, max: 600_000 }) }),
      fc.record({ kind: fc.constant('suggest' as const), d: fc.double() }),
    );
    fc.assert(
      fc.property(
        fc.double({ min: 1e-12, max: 1, noNaN: true }),
        fc.double({ min: 1, max: 1e15, noNaN: true }),
        fc.double({ min: 1e-300, max: 1e300, noNaN: true }),
        fc.array(op, { maxLength: 200 }),
        (minDiff, maxDiff, initial, ops) => {
          const v = new Vardiff({ ...BASE, minDiff, maxDiff, initialDifficulty: initial });
          let t = 0;
          for (const o of ops) {
            if (o.kind === 'share') {
              t += o.dt;
              v.recordShare(t, o.d);
            } else if (o.kind === 'tick') t += o.dt;
            else v.suggest(o.d, t);
            v.retarget(t);
            const d = v.current;
            if (!Number.isFinite(d) || d < minDiff || d > maxDiff) return false;
            const e = v.estimate(t);
            if (!Number.isFinite(e.hashrate) || !Number.isFinite(e.idealDifficulty)) return false;
          }
          return true;
        },
      ),
      { seed: 20240501, numRuns: 300 },
    );
  });

  it('rounds to 3 significant digits', () => {
    expect(roundSignificant(0.000814937)).toBe(0.000815);
    expect(roundSignificant(2328.3064)).toBe(2330);
    expect(roundSignificant(0)).toBe(0);
  });
});

describe('Vardiff after silence', () => {
  it('a miner that stalls walks down, and on its return climbs back at once', () => {
    const v = new Vardiff({ ...BASE, initialDifficulty: 1 });
    for (let t = 10_000; t <= 600_000; t += 10_000) {
      v.recordShare(t, 1);
      v.retarget(t);
    }
    expect(v.current).toBe(1);
    // Ten silent minutes: the window empties after 5, then it halves each minute.
    for (let t = 601_000; t <= 1_200_000; t += 1000) v.retarget(t);
    expect(v.current).toBeLessThan(0.1);
    expect(v.history.at(-1)?.reason).toBe('no-shares');
    // Back at the old rate: at difficulty D, a share every D * 10 s.
    let t = 1_200_000;
    while (t < 1_500_000) {
      t += v.current * 10_000;
      v.recordShare(t, v.current);
      v.retarget(t);
    }
    expect(v.current).toBeGreaterThan(0.5);
    expect(v.current).toBeLessThan(2);
  });
});
