import { afterEach, expect, it, vi } from 'vitest';
import type { RunningProxy } from '../proxy/run-proxy.js';
import type { PoolSimulator } from '../simulator/pool/index.js';
import { codeOf, connectMiner, findShare, submit } from '../simulator/pool/test-support/pool-harness.js';
import type { ConnectedMiner } from '../simulator/pool/test-support/pool-harness.js';
import { PATIENCE } from '../test-support/patience.js';
import { proxyFixture } from '../proxy/test-support/proxy-fixture.js';

const fx = proxyFixture();

let pool: PoolSimulator | undefined;
let proxy: RunningProxy | undefined;
let m: ConnectedMiner | undefined;
afterEach(async () => {
  await m?.client.close();
});

it('a share the pool credited keeps its verdict when client.reconnect arrives before the answer', async () => {
  pool = await fx.pool({ difficulty: 1e-7 });
  proxy = await fx.startProxy(pool.port, { vardiff: { enabled: false } });
  m = await connectMiner(proxy.stratum.port, { worker: 'race.1' });
  pool.faults.inject({ id: 'slow', action: 'delay', delay: '500ms' });
  expect(codeOf(await submit(m, findShare(m)))).toBeNull(); // answered locally, forwarded upstream
  await vi.waitFor(() => expect(pool?.stats().totals.accepted).toBe(1), PATIENCE); // the pool has credited it
  pool.faults.inject({ action: 'reconnect', waitSeconds: 0 });
  const p = proxy;
  await vi.waitFor(
    () =>
      expect(
        (() => {
          const t = p.core.snapshot().books.pool.totals;
          return t.accepted + t.rejected === 1;
        })(),
      ).toBe(true),
    PATIENCE,
  );
  const t = proxy.core.snapshot().books.pool.totals;
  // The replaced session stayed open for the answer it owed: the books match the pool's.
  expect({
    poolAccepted: pool.stats().totals.accepted,
    proxyAccepted: t.accepted,
    proxyRejected: t.rejected,
  }).toEqual({
    poolAccepted: 1,
    proxyAccepted: 1,
    proxyRejected: 0,
  });
});
