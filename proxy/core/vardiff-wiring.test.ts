import { describe, expect, it } from 'vitest';
import type { VardiffChange } from './index.js';
import { coreBench } from './test-support/core-bench.js';

describe('vardiff wiring in the core (manual clock)', () => {
  it('raises a flooding miner: the new difficulty goes out just before the next job, the old one holds for older jobs', async () => {
    const b = coreBench({
      pool: { difficulty: 1 },
      core: { vardiff: { startDiff: 1e-11, targetSecondsPerShare: 10, retargetEveryMs: 60_000 } },
    });
    const changes: VardiffChange[] = [];
    b.core.on('vardiff', (_m, c) => changes.push(c));
    const m = await b.miner('rig.gpu');
    expect(m.difficulty).toBe(1e-11);
    const oldJob = m.latestJob?.jobId;
    for (let i = 0; i < 40; i += 1) {
      m.submit('valid');
      await b.tick(150);
    }
    expect(changes[0]).toMatchObject({ from: 1e-11, reason: 'too-fast' });
    const raised = changes[0]?.to as number;
    expect(raised).toBeGreaterThan(1e-11);
    // Nothing re-sent mid-job: the miner still has the old difficulty until the pool's next job.
    expect(m.difficulty).toBe(1e-11);
    const seen = m.notifications.length;
    b.pool.newJob({ clean: false });
    await b.settle();
    expect(m.notifications.slice(seen).map((n) => n.method)).toEqual([
      'mining.set_difficulty',
      'mining.notify',
    ]);
    expect(m.difficulty).toBe(raised);
    // A share for the job sent before the change is judged at the difficulty it was sent with.
    const late = m.send('mining.submit', [m.name, oldJob as string, '0000ffff', '66000000', '00000001']);
    await b.settle();
    expect(m.answer(late)?.result).toBe(true);
  });

  it('lowers a miner that finds nothing, by what the silence bounds (at least halving each time)', async () => {
    const b = coreBench({
      pool: { difficulty: 1 },
      core: { vardiff: { startDiff: 0.01, targetSecondsPerShare: 10, retargetEveryMs: 60_000 } },
    });
    const changes: VardiffChange[] = [];
    b.core.on('vardiff', (_m, c) => changes.push(c));
    await b.miner('rig.quiet');
    for (let t = 0; t < 10 * 60_000; t += 30_000) await b.tick(30_000);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.reason === 'no-shares' && c.to <= c.from / 2)).toBe(true);
    // The first step comes after 3 target periods (30 s), not a whole retarget period.
    expect(changes[0]?.to).toBeCloseTo(0.01 / 3, 5);
    // The miner hears of it with the pool's next job, and the books record what it was sent.
    b.pool.newJob({ clean: false });
    await b.settle();
    const last = changes.at(-1);
    expect(b.core.snapshot().miners[0]?.vardiff?.history.at(-1)).toMatchObject({
      to: last?.to,
      reason: 'no-shares',
    });
  });
});

describe('vardiff off (vardiff.enabled: false)', () => {
  it('gives every miner the pool’s difficulty and follows its changes; suggestions change nothing', async () => {
    const b = coreBench({
      pool: { difficulty: 0.002 },
      core: { vardiff: { enabled: false, startDiff: 1e-6 } },
    });
    const m = b.connect('rig.fixed');
    m.subscribe();
    m.authorize();
    m.suggestDifficulty(0.00015);
    await b.settle();
    expect(m.difficulty).toBe(0.002);
    b.pool.setDifficulty(0.5);
    b.pool.newJob({ clean: false });
    await b.settle();
    expect(m.difficulty).toBe(0.5);
    for (let t = 0; t < 5 * 60_000; t += 30_000) await b.tick(30_000);
    expect(m.difficulty).toBe(0.5);
  });
});

describe('a first difficulty that starts right', () => {
  it('known firmware starts near one share per target period; a password hint wins; others start at the pool’s', async () => {
    const b = coreBench({ pool: { difficulty: 4096 } });
    const cpu = b.connect('rig.cpu');
    cpu.subscribe('cpuminer/2.5.1');
    cpu.authorize();
    const axe = b.connect('rig.axe');
    axe.subscribe('bitaxe/BM1366/v2.4.0');
    axe.authorize();
    const hinted = b.connect('rig.hinted');
    hinted.subscribe('cpuminer/2.5.1');
    hinted.authorize('rig.hinted', 'x,d=0.002');
    const other = b.connect('rig.other');
    other.subscribe('some-miner/1.0');
    other.authorize();
    await b.settle();
    expect(cpu.difficulty).toBe(0.0116); // 5 MH/s x 10 s / 2^32
    expect(axe.difficulty).toBe(1160); // 500 GH/s x 10 s / 2^32
    expect(hinted.difficulty).toBe(0.002);
    expect(other.difficulty).toBe(4096);
  });
});
