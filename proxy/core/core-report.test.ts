import { describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { WorkerStats } from '../stats/index.js';
import { REPORT_WORKER_LINES } from './index.js';
import { coreBench } from './test-support/core-bench.js';

function capturingLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level },
    { write: (s: string) => lines.push(JSON.parse(s) as Record<string, unknown>) },
  );
  return { logger, lines };
}

const EVERY_MS = 60_000;

describe('the report line', () => {
  it('logs the rack and each worker once a period, with their books', async () => {
    const { logger, lines } = capturingLogger('info');
    const b = coreBench({ logger, core: { reportEveryMs: EVERY_MS } });
    const axe = await b.miner('rack.axe-01');
    await b.miner('rack.nerd-01');
    axe.submit('valid');
    await b.settle();
    expect(axe.unanswered()).toEqual([]);
    expect(lines.filter((l) => l.msg === 'report')).toEqual([]);

    await b.tick(EVERY_MS);
    const rack = lines.filter((l) => l.msg === 'report');
    expect(rack).toHaveLength(1);
    expect(rack[0]).toMatchObject({ miners: 2, accepted: 1, rejected: 0, workers: 2 });
    expect(rack[0]).not.toHaveProperty('workerLinesOmitted');
    const workers = lines.filter((l) => l.msg === 'worker report');
    expect(workers.map((l) => [l.worker, l.accepted])).toEqual([
      ['rack.axe-01', 1],
      ['rack.nerd-01', 0],
    ]);
    expect(workers[0]?.difficulty).toBeGreaterThan(0);
  });

  it(`names at most ${REPORT_WORKER_LINES} workers a period, and says how many it left out`, async () => {
    const { logger, lines } = capturingLogger('info');
    const b = coreBench({ logger, core: { reportEveryMs: EVERY_MS } });
    for (let i = 1; i <= REPORT_WORKER_LINES + 3; i += 1) b.connect(`rack.w${i}`);
    for (const m of b.miners) {
      m.subscribe();
      m.authorize();
    }
    await b.settle();
    await b.tick(EVERY_MS);
    expect(lines.filter((l) => l.msg === 'report')).toEqual([
      expect.objectContaining({
        miners: REPORT_WORKER_LINES + 3,
        workers: REPORT_WORKER_LINES + 3,
        workerLinesOmitted: 3,
      }),
    ]);
    const named = lines.filter((l) => l.msg === 'worker report').map((l) => l.worker);
    // The first workers seen, each once.
    expect(named).toEqual(Array.from({ length: REPORT_WORKER_LINES }, (_, i) => `rack.w${i + 1}`));
  });

  it('builds nothing at a level that drops it', async () => {
    const { logger, lines } = capturingLogger('warn');
    const b = coreBench({ logger, core: { reportEveryMs: EVERY_MS } });
    const m = await b.miner('rack.axe-01');
    m.submit('valid');
    await b.settle();
    const snapshots = vi.spyOn(WorkerStats.prototype, 'snapshot');
    try {
      await b.tick(3 * EVERY_MS);
      expect(lines).toEqual([]);
      // A snapshot of every worker each period was most of an idle proxy's garbage.
      expect(snapshots).not.toHaveBeenCalled();
    } finally {
      snapshots.mockRestore();
    }
  });
});
