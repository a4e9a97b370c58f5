import { describe, expect, it } from 'vitest';
import { T0, statusFixture, workerFixture } from '../api/test-support/status-fixture.js';
import { publicPoolClient } from './public-pool-view.js';

const ADDRESS = 'bc1qrack0000000000000000000000000000000000';

describe('public-pool’s GET /api/client/<address>, from /status', () => {
  it('lists the connected workers of that address with what a NerdMiner’s screen reads', () => {
    const status = statusFixture([
      workerFixture(`${ADDRESS}.nerd1`, {
        hashrate: 310_000,
        best_share_difficulty: 0.0421,
        extranonce1: 'aa01',
      }),
      workerFixture(`${ADDRESS}.nerd2`, {
        hashrate: 290_000,
        best_share_difficulty: 1.5,
        extranonce1: 'aa02',
      }),
      workerFixture(`${ADDRESS}.gone`, { connected: false, best_share_difficulty: 99 }),
      workerFixture('someone-else.rig', { best_share_difficulty: 50 }),
    ]);
    const client = publicPoolClient(status, ADDRESS);
    expect(client).toEqual({
      bestDifficulty: 1.5,
      workersCount: 2,
      workers: [
        {
          sessionId: 'aa01',
          name: 'nerd1',
          bestDifficulty: '0.04',
          hashRate: 310_000,
          startTime: new Date(T0 - 600_000).toISOString(),
          lastSeen: new Date(T0 - 4000).toISOString(),
        },
        expect.objectContaining({
          sessionId: 'aa02',
          name: 'nerd2',
          bestDifficulty: '1.50',
          hashRate: 290_000,
        }),
      ],
    });
    // What NerdMiner V1.8.3 shows: workersCount, the sum of hashRate, bestDifficulty.
    expect(client.workers.reduce((sum, w) => sum + w.hashRate, 0)).toBe(600_000);
    // JSON as public-pool sends it: no undefined left behind.
    expect(JSON.parse(JSON.stringify(client))).toEqual(client);
  });

  it('an address no worker uses gets an empty list and no bestDifficulty; a bare worker name is an address', () => {
    const status = statusFixture([workerFixture('bc1qsolo', { best_share_difficulty: null })]);
    expect(publicPoolClient(status, 'bc1qnobody')).toEqual({ workersCount: 0, workers: [] });
    const solo = publicPoolClient(status, 'bc1qsolo');
    expect(solo).toMatchObject({ workersCount: 1, workers: [{ name: 'bc1qsolo', bestDifficulty: '0.00' }] });
    expect(solo).not.toHaveProperty('bestDifficulty');
  });
});
