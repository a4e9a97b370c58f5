import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_WORKERS, StatsRegistry } from './index.js';

describe('StatsRegistry', () => {
  it('tracks workers by name and keeps totals', () => {
    const r = new StatsRegistry();
    r.recordSubmit('rack1.nm01', 0);
    r.recordResult('rack1.nm01', { at: 10, accepted: true, difficulty: 0.001, latencyMs: 10 });
    r.recordSubmit('rack1.bitaxe', 5);
    r.recordResult('rack1.bitaxe', {
      at: 20,
      accepted: false,
      difficulty: 512,
      reason: 'Low difficulty share',
    });
    r.recordDifficulty('rack1.bitaxe', 1, 512);
    const snap = r.snapshot(1000);
    expect(Object.keys(snap.workers).sort()).toEqual(['rack1.bitaxe', 'rack1.nm01']);
    expect(snap.workers['rack1.bitaxe']).toMatchObject({ rejected: 1, difficulty: 512 });
    expect(snap.totals).toMatchObject({
      submitted: 2,
      accepted: 1,
      rejected: 1,
      rejectedByReason: { 'Low difficulty share': 1 },
    });
    expect(snap.other).toBeNull();
    expect(snap.workerCount).toBe(2);
    expect(r.snapshotWorker('rack1.nm01', 1000)?.accepted).toBe(1);
    expect(r.snapshotWorker('nobody', 1000)).toBeNull();
  });

  it('folds workers beyond the bound into one "other" bucket', () => {
    const r = new StatsRegistry({ maxWorkers: 2 });
    for (const name of ['a', 'b', 'c', 'd', 'c']) {
      r.recordResult(name, { at: 0, accepted: true, difficulty: 1 });
    }
    const snap = r.snapshot(0);
    expect(Object.keys(snap.workers)).toEqual(['a', 'b']);
    expect(snap.other?.accepted).toBe(3);
    expect(snap.totals.accepted).toBe(5);
    expect(r.has('c')).toBe(false);
    expect(r.size).toBe(2);
    // A freed slot is taken by the next new name.
    expect(r.delete('a')).toBe(true);
    r.recordResult('e', { at: 1, accepted: true, difficulty: 1 });
    expect(Object.keys(r.snapshot(1).workers)).toEqual(['b', 'e']);
    expect(r.snapshot(1).totals.accepted).toBe(6);
  });

  it('holds at most the default 10,000 named workers', () => {
    const r = new StatsRegistry();
    for (let i = 0; i <= DEFAULT_MAX_WORKERS; i += 1) r.recordSubmit(`w${i}`, i);
    expect(r.size).toBe(DEFAULT_MAX_WORKERS);
    const snap = r.snapshot(20_000);
    expect(snap.workerCount).toBe(10_000);
    expect(snap.other?.submitted).toBe(1);
    expect(snap.totals.submitted).toBe(10_001);
  });

  it('keeps odd worker names as plain keys', () => {
    const r = new StatsRegistry();
    r.recordSubmit('__proto__', 0);
    const snap = r.snapshot(0);
    expect(Object.keys(snap.workers)).toEqual(['__proto__']);
    expect(JSON.parse(JSON.stringify(snap)).workers.__proto__.submitted).toBe(1);
  });

  it('starts a worker at its first event so its hashrate is averaged from then', () => {
    const r = new StatsRegistry();
    r.worker('w', 0);
    r.recordResult('w', { at: 10_000, accepted: true, difficulty: 1 });
    expect(r.snapshot(10_000).workers.w).toMatchObject({ hashrate: 0, hashrateWarmingUp: true });
    expect(r.snapshot(80_000).workers.w?.hashrate).toBeCloseTo(4_294_967_296 / 80, 3);
  });
});
