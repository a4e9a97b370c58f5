import { describe, expect, it } from 'vitest';
import { HASHES_PER_DIFFICULTY, HASHRATE_SOUND_AFTER_MS, WorkerStats } from './index.js';

describe('WorkerStats', () => {
  it('counts accepted, rejected by reason, stale and duplicate', () => {
    const s = new WorkerStats();
    expect(s.snapshot(0).rejectedByReason).toEqual({});
    for (let i = 0; i < 5; i += 1) s.recordSubmit(i * 1000);
    s.recordResult({ at: 100, accepted: true, difficulty: 1 });
    s.recordResult({ at: 1100, accepted: false, difficulty: 1, reason: 'Low difficulty share' });
    s.recordResult({ at: 2100, accepted: false, difficulty: 1, reason: 'Duplicate share', duplicate: true });
    s.recordResult({
      at: 3100,
      accepted: false,
      difficulty: 1,
      reason: 'Job not found (=stale)',
      stale: true,
    });
    s.recordResult({ at: 4100, accepted: false, difficulty: 1 });
    const snap = s.snapshot(5000);
    expect(snap).toMatchObject({
      submitted: 5,
      accepted: 1,
      rejected: 4,
      stale: 1,
      duplicate: 1,
      acceptedDifficulty: 1,
      lastSubmitAt: 4000,
      lastShareAt: 100,
    });
    expect(snap.rejectedByReason).toEqual({
      'Low difficulty share': 1,
      'Duplicate share': 1,
      'Job not found (=stale)': 1,
      unknown: 1,
    });
  });

  it('bounds the number of distinct reject reasons', () => {
    const s = new WorkerStats({ maxRejectReasons: 3 });
    for (let i = 0; i < 10; i += 1)
      s.recordResult({ at: i, accepted: false, difficulty: 1, reason: `r${i}` });
    s.recordResult({ at: 11, accepted: false, difficulty: 1, reason: 'r1' });
    expect(s.snapshot(20).rejectedByReason).toEqual({ r0: 1, r1: 2, r2: 1, other: 7 });
  });

  it('gives exact latency percentiles over a bounded ring of the last 256', () => {
    const s = new WorkerStats();
    for (let i = 0; i < 300; i += 1) s.recordResult({ at: i, accepted: true, difficulty: 1, latencyMs: i });
    const { latencyMs } = s.snapshot(300);
    // Samples 44..299 remain: nearest rank 128 -> 171, rank 244 -> 287.
    expect(latencyMs).toEqual({ p50: 171, p95: 287, samples: 256 });
  });

  it('latency has no percentiles until a sample arrives, and ignores bad samples', () => {
    const s = new WorkerStats();
    s.recordResult({ at: 1, accepted: true, difficulty: 1, latencyMs: Number.NaN });
    s.recordResult({ at: 2, accepted: true, difficulty: 1, latencyMs: -5 });
    expect(s.snapshot(3).latencyMs).toEqual({ p50: null, p95: null, samples: 0 });
  });

  it('measures spacing between accepted shares only', () => {
    const s = new WorkerStats();
    s.recordResult({ at: 0, accepted: true, difficulty: 1 });
    s.recordResult({ at: 5_000, accepted: false, difficulty: 1, reason: 'x' });
    s.recordResult({ at: 10_000, accepted: true, difficulty: 1 });
    s.recordResult({ at: 30_000, accepted: true, difficulty: 1 });
    s.recordResult({ at: 60_000, accepted: true, difficulty: 1 });
    expect(s.snapshot(60_000).shareSpacingMs).toEqual({
      mean: 20_000,
      p50: 20_000,
      last: 30_000,
      samples: 3,
    });
  });

  it('estimates hashrate from accepted difficulty over the window', () => {
    const s = new WorkerStats({ startedAtMs: 0, hashrateWindowMs: 600_000, hashrateBucketMs: 15_000 });
    // A miner at difficulty 2 finding a share every 10 s for 20 minutes: 2 * 2^32 / 10 H/s.
    for (let t = 10_000; t <= 1_200_000; t += 10_000) {
      s.recordResult({ at: t, accepted: true, difficulty: 2 });
      s.recordResult({ at: t + 1, accepted: false, difficulty: 2, reason: 'rejected work does not count' });
    }
    const snap = s.snapshot(1_200_000);
    // The window is the buckets from 615 s to now: 59 shares of difficulty 2 in 585 s.
    expect(snap.hashrate).toBeCloseTo((118 * HASHES_PER_DIFFICULTY) / 585, 3);
    expect(snap.hashrate / ((2 * HASHES_PER_DIFFICULTY) / 10)).toBeCloseTo(1, 1);
    expect(snap.hashrateWindowMs).toBe(600_000);
    expect(snap.acceptedDifficulty).toBe(240);
    // Twenty idle minutes later nothing is left in the window.
    expect(s.hashrate(2_400_000)).toBe(0);
  });

  it('averages a young worker over its age, not the whole window, once its age is a sound window', () => {
    const s = new WorkerStats({ startedAtMs: 0 });
    s.recordResult({ at: 5_000, accepted: true, difficulty: 1 });
    expect(s.hashrate(80_000)).toBe(HASHES_PER_DIFFICULTY / 80);
    expect(s.snapshot(80_000).hashrateWarmingUp).toBe(false);
  });

  it('gives no estimate while warming up: one lucky share right after a restart is not a rate', () => {
    const fresh = new WorkerStats();
    expect(fresh.hashrate(10_000)).toBe(0);
    fresh.recordResult({ at: 10_000, accepted: true, difficulty: 0.0003 });
    expect(fresh.hashrate(10_500)).toBe(0);
    expect(fresh.snapshot(10_500).hashrateWarmingUp).toBe(true);
    expect(fresh.snapshot(10_000 + HASHRATE_SOUND_AFTER_MS).hashrateWarmingUp).toBe(false);
    expect(fresh.hashrate(10_000 + HASHRATE_SOUND_AFTER_MS)).toBeCloseTo(
      (0.0003 * HASHES_PER_DIFFICULTY) / 60,
      3,
    );
  });

  it('keeps the best own difficulty of an accepted share, never of a rejected one', () => {
    const s = new WorkerStats();
    expect(s.snapshot(0).bestShareDifficulty).toBeNull();
    s.recordResult({ at: 1, accepted: true, difficulty: 0.001, shareDifficulty: 0.004 });
    s.recordResult({ at: 2, accepted: false, difficulty: 0.001, shareDifficulty: 9, reason: 'duplicate' });
    s.recordResult({ at: 3, accepted: true, difficulty: 0.001, shareDifficulty: 0.002 });
    s.recordResult({ at: 4, accepted: true, difficulty: 0.001 });
    expect(s.snapshot(5).bestShareDifficulty).toBe(0.004);
    s.recordResult({ at: 6, accepted: true, difficulty: 0.001, shareDifficulty: 1.5 });
    expect(s.snapshot(7).bestShareDifficulty).toBe(1.5);
  });

  it('keeps a bounded difficulty history and the current difficulty', () => {
    const s = new WorkerStats({ difficultyHistory: 3 });
    for (let i = 1; i <= 5; i += 1) s.recordDifficulty(i * 1000, i / 10_000);
    s.recordDifficulty(6000, Number.NaN);
    const snap = s.snapshot(6000);
    expect(snap.difficulty).toBe(0.0005);
    expect(snap.difficultyHistory).toEqual([
      { at: 3000, difficulty: 0.0003 },
      { at: 4000, difficulty: 0.0004 },
      { at: 5000, difficulty: 0.0005 },
    ]);
  });

  it('snapshot is plain JSON: no undefined, NaN or Infinity', () => {
    const empty = new WorkerStats().snapshot(0);
    expect(JSON.parse(JSON.stringify(empty))).toEqual(empty);
    expect(empty).toMatchObject({ lastShareAt: null, difficulty: null, hashrate: 0 });
    const s = new WorkerStats();
    s.recordSubmit(0);
    s.recordResult({ at: 0, accepted: true, difficulty: 1e-5, latencyMs: 3 });
    s.recordDifficulty(0, 1e-5);
    const snap = s.snapshot(0);
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
  });

  it('an idle worker (nothing but a difficulty) reads as empty, its window named, after any time', () => {
    const s = new WorkerStats({ hashrateWindowMs: 120_000, hashrateBucketMs: 10_000, startedAtMs: 0 });
    s.recordDifficulty(0, 0.5);
    const later = HASHRATE_SOUND_AFTER_MS * 10;
    expect(s.hashrate(later)).toBe(0);
    expect(s.snapshot(later)).toMatchObject({
      hashrate: 0,
      hashrateWarmingUp: false,
      hashrateWindowMs: 120_000,
      latencyMs: { p50: null, p95: null, samples: 0 },
      shareSpacingMs: { mean: null, p50: null, last: null, samples: 0 },
      difficulty: 0.5,
    });
    // Its first samples land as they would have in windows made at the start.
    s.recordResult({ at: later, accepted: true, difficulty: 1, latencyMs: 7 });
    s.recordResult({ at: later + 500, accepted: true, difficulty: 1 });
    expect(s.snapshot(later + 500)).toMatchObject({
      latencyMs: { p50: 7, samples: 1 },
      shareSpacingMs: { last: 500, samples: 1 },
    });
    expect(s.hashrate(later + 500)).toBeGreaterThan(0);
  });

  it('refuses bad window and ring sizes when made, not at a first share', () => {
    expect(() => new WorkerStats({ latencySamples: 0 })).toThrow(RangeError);
    expect(() => new WorkerStats({ spacingSamples: 1.5 })).toThrow(RangeError);
    expect(() => new WorkerStats({ hashrateBucketMs: 0 })).toThrow(RangeError);
    expect(() => new WorkerStats({ hashrateWindowMs: 1000, hashrateBucketMs: 2000 })).toThrow(RangeError);
  });
});
