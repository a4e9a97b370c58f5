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

  it('halves a miner that finds nothing for the whole window', async () => {
    const b = coreBench({
      pool: { difficulty: 1 },
      core: { vardiff: { startDiff: 0.01, targetSecondsPerShare: 10, retargetEveryMs: 60_000 } },
    });
    const changes: VardiffChange[] = [];
    b.core.on('vardiff', (_m, c) => changes.push(c));
    await b.miner('rig.quiet');
    for (let t = 0; t < 10 * 60_000; t += 30_000) await b.tick(30_000);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((c) => c.reason === 'no-shares' && c.to === c.from / 2)).toBe(true);
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
