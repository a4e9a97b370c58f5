import { afterEach, describe, expect, it, vi } from 'vitest';
import { StratumClient } from '../peers/stratum-client.js';
import { startFanoutStub, stubNotifyLine } from './fanout-stub.js';
import type { FanoutStub } from './fanout-stub.js';
import { PATIENCE } from '../test-support/patience.js';

let stub: FanoutStub | undefined;
const clients: StratumClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await stub?.close();
  stub = undefined;
});

describe('the fan-out floor (a bare Node Stratum stub)', () => {
  it('answers a handshake with canned lines and a job, then writes each job to every session', async () => {
    stub = await startFanoutStub();
    for (let i = 0; i < 3; i += 1) clients.push(await StratumClient.connect(stub.port));
    for (const c of clients) {
      // It answers once both lines are in, as a miner sends them.
      c.send({ id: 1, method: 'mining.subscribe', params: ['bench/1'] });
      c.send({ id: 2, method: 'mining.authorize', params: ['bench.m', 'x'] });
      expect((await c.answer(1)).result).toEqual([[['mining.notify', '1']], '00000000', 4]);
      expect((await c.answer(2)).result).toBe(true);
      await vi.waitFor(() => expect(c.notifications('mining.notify')).toHaveLength(1), PATIENCE);
    }
    expect(stub.sessions).toBe(3);

    const loopMs = stub.broadcast();
    expect(loopMs).toBeGreaterThanOrEqual(0);
    for (const c of clients) {
      await vi.waitFor(() => expect(c.notifications('mining.notify')).toHaveLength(2), PATIENCE);
      const job = c.notifications('mining.notify')[1];
      // A job of the bench pool's shape: 12 merkle branches, a clean-jobs flag.
      expect(job?.params[0]).toBe('1');
      expect((job?.params[4] as string[]).length).toBe(12);
      expect(job?.params[8]).toBe(true);
    }
    expect(
      `${JSON.stringify({ id: null, method: 'mining.notify', params: clients[0]?.notifications('mining.notify')[1]?.params })}\n`,
    ).toBe(stubNotifyLine(1));

    await clients.pop()?.close();
    await vi.waitFor(() => expect(stub?.sessions).toBe(2), PATIENCE);
  });

  it('drops a connection that sends more than a handshake without two lines', async () => {
    stub = await startFanoutStub();
    const c = await StratumClient.connect(stub.port);
    clients.push(c);
    c.write('x'.repeat(5000));
    await c.waitClosed();
    expect(stub.sessions).toBe(0);
  });
});
