import { describe, expect, it } from 'vitest';
import { buildStatus } from '../http/status-view.js';
import { MAX_WORKERS_PER_CONNECTION } from './miner-session.js';
import { coreBench } from './test-support/core-bench.js';

describe('books that survive a disconnect', () => {
  it('keeps a gone worker’s kind, user agent and difficulty history in /status', async () => {
    const b = coreBench({ pool: { difficulty: 0.01 } });
    const m = b.connect('rack.axe-01');
    m.subscribe('bitaxe/BM1366/v2.4.0');
    m.authorize();
    m.suggestDifficulty(1e-11);
    await b.settle();
    m.submit('valid');
    await b.settle();
    m.close();
    await b.settle();
    const gone = buildStatus(b.core.snapshot()).workers.find((w) => w.name === 'rack.axe-01');
    expect(gone).toMatchObject({
      connected: false,
      kind: 'bitaxe',
      user_agent: 'bitaxe/BM1366/v2.4.0',
      accepted: 1,
    });
    expect(gone?.vardiff_history.map((h) => [h.from, h.to, h.reason])).toEqual([[0, 1e-11, 'start']]);
  });

  it('records what was sent: a vardiff choice above the pool’s difficulty is booked as the pool’s', async () => {
    const b = coreBench({ pool: { difficulty: 0.002 }, core: { vardiff: { startDiff: 1e-6 } } });
    const m = b.connect('rack.nerd-01');
    m.subscribe();
    m.authorize();
    await b.settle();
    m.suggestDifficulty(1000);
    b.pool.newJob({ clean: false });
    await b.settle();
    // Vardiff took the suggestion (1000); the miner was sent the pool's 0.002, and the books say so.
    const history = b.core.snapshot().miners[0]?.vardiff?.history;
    expect(history?.map((h) => [h.from, h.to, h.reason])).toEqual([
      [0, 1e-6, 'start'],
      [1e-6, 0.002, 'pool'],
    ]);
    expect(b.core.snapshot().miners[0]?.vardiff?.current).toBe(1000);
    expect(m.difficulty).toBe(0.002);
    b.pool.setDifficulty(1e-7);
    b.pool.newJob({ clean: false });
    await b.settle();
    expect(b.core.snapshot().miners[0]?.vardiff?.history.at(-1)).toMatchObject({
      from: 0.002,
      to: 1e-7,
      reason: 'pool',
    });
  });

  it('counts submits that do not parse, by what was wrong with them', async () => {
    const b = coreBench();
    const m = await b.miner('rack.bad-01');
    const bad = m.send('mining.submit', [
      'rack.bad-01',
      m.latestJob?.jobId ?? '1',
      '00000000',
      '66000000',
      'zz00000000',
    ]);
    const short = m.send('mining.submit', ['rack.bad-01', '1']);
    await b.settle();
    expect((m.answer(bad)?.error as unknown[])[0]).toBe(-32602);
    expect((m.answer(short)?.error as unknown[])[0]).toBe(-32602);
    const books = b.core.snapshot().books.local.workers['rack.bad-01'];
    expect(books?.rejectedByReason).toEqual({ 'malformed-nonce': 1, 'malformed-params': 1 });
    expect(books?.rejected).toBe(2);
  });

  it('refuses a connection more worker names than a rig has (a /status flood)', async () => {
    const b = coreBench();
    const m = await b.miner('rack.many-0');
    const ids = Array.from({ length: MAX_WORKERS_PER_CONNECTION + 5 }, (_, i) =>
      m.authorize(`rack.many-${i + 1}`),
    );
    await b.settle();
    const refused = ids.filter((id) => m.answer(id)?.result !== true);
    expect(refused).toHaveLength(6);
    expect((m.answer(refused[0] as number)?.error as unknown[])[0]).toBe(24);
    expect(b.core.snapshot().miners[0]?.workers).toHaveLength(MAX_WORKERS_PER_CONNECTION);
  });

  it('bounds the workers it remembers after they leave', async () => {
    const b = coreBench({ core: { maxClients: 5000 } });
    const rack = Array.from({ length: 1010 }, (_, i) => b.connect(`rack.churn-${i}`));
    for (const m of rack) {
      m.subscribe();
      m.authorize();
    }
    await b.settle();
    for (const m of rack) m.close();
    await b.settle();
    const retired = b.core.snapshot().retiredWorkers;
    expect(retired).toHaveLength(1000);
    expect(retired[0]?.worker).toBe('rack.churn-10');
  });
});
