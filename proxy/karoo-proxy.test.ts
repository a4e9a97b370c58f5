import { afterEach, describe, expect, it } from 'vitest';
import type { PoolSimulator } from '../simulator/pool/index.js';
import {
  connectMiner,
  findShare,
  startTestPool,
  submit,
  codeOf,
} from '../simulator/pool/test-support/pool-harness.js';
import type { ConnectedMiner } from '../simulator/pool/test-support/pool-harness.js';
import type { RunningProxy } from './run-proxy.js';
import { startTestProxy } from './test-support/proxy-harness.js';

let pool: PoolSimulator | undefined;
let proxy: RunningProxy | undefined;
const miners: ConnectedMiner[] = [];

afterEach(async () => {
  await Promise.all(miners.splice(0).map((m) => m.client.close()));
  await proxy?.stop();
  await pool?.close();
  proxy = undefined;
  pool = undefined;
});

describe('proxy core', () => {
  it('subscribes a miner through one upstream session and forwards a share above the pool difficulty', async () => {
    pool = await startTestPool({ difficulty: 1e-4, extranonce2Size: 8 });
    proxy = await startTestProxy(pool.port);
    const m = await connectMiner(proxy.stratum.port, { worker: 'rig.one' });
    miners.push(m);
    const upstream = proxy.proxy.upstream.current;
    expect(upstream).toBeDefined();
    expect(m.extranonce1.startsWith(upstream?.extranonce1 ?? 'x')).toBe(true);
    expect(m.extranonce1.length).toBe((upstream?.extranonce1.length ?? 0) + 8);
    expect(m.extranonce2Size).toBe(4);
    const share = findShare(m, { difficulty: 1e-4 });
    const answer = await submit(m, share);
    expect(codeOf(answer)).toBeNull();
    await waitUntil(() => pool?.stats().totals.accepted === 1);
    expect(pool.stats().workers['karoo.upstream']?.accepted).toBe(1);
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
