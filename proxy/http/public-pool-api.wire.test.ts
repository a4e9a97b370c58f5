import { describe, expect, it, vi } from 'vitest';
import { codeOf, connectMiner, findShare, submit } from '../../simulator/pool/test-support/pool-harness.js';
import { PATIENCE } from '../../test-support/patience.js';
import type { PublicPoolClient } from './public-pool-view.js';
import { proxyFixture } from '../test-support/proxy-fixture.js';

const fx = proxyFixture();
const ADDRESS = 'bc1qrack0000000000000000000000000000000000';

/**
 * http.public_pool_api through the running proxy: what NerdMiner V1.8.3 fetches for its screen
 * when its pool port is 2018 (http://<pool host>:2019/api/client/<wallet>, src/monitor.cpp).
 */
describe('http.public_pool_api', () => {
  it('serves the rack’s workers for a wallet, beside the HTTP API and without its token', async () => {
    const pool = await fx.pool();
    const proxy = await fx.startProxy(pool.port, {
      http: { listen: '127.0.0.1:0', token: 'the-api-token', public_pool_api: '127.0.0.1:0' },
      vardiff: { min_diff: 1e-9, start_diff: pool.options.difficulty },
    });
    const base = `http://127.0.0.1:${proxy.publicPoolApi?.port}`;
    const a = await connectMiner(proxy.stratum.port, {
      worker: `${ADDRESS}.nerd1`,
      userAgent: 'NerdMinerV2/V1.8.3',
    });
    const b = await connectMiner(proxy.stratum.port, {
      worker: `${ADDRESS}.nerd2`,
      userAgent: 'NerdMinerV2/V1.8.3',
    });
    fx.track(a.client);
    fx.track(b.client);
    expect(codeOf(await submit(a, findShare(a)))).toBeNull();
    await vi.waitFor(
      () => expect(proxy.core.snapshot().books.local.totals.accepted, 'the accepted share').toBe(1),
      PATIENCE,
    );

    const res = await fetch(`${base}/api/client/${ADDRESS}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as PublicPoolClient;
    expect(body.workersCount).toBe(2);
    expect(body.workers.map((w) => w.name).sort()).toEqual(['nerd1', 'nerd2']);
    expect(body.bestDifficulty).toBeGreaterThanOrEqual(pool.options.difficulty);
    for (const w of body.workers) expect(typeof w.hashRate).toBe('number');
    // The trailing slash NerdMiner's URL building can leave, and an address nobody mines to.
    expect(
      ((await (await fetch(`${base}/api/client/${ADDRESS}/`)).json()) as PublicPoolClient).workersCount,
    ).toBe(2);
    expect(await (await fetch(`${base}/api/client/bc1qnobody`)).json()).toEqual({
      workersCount: 0,
      workers: [],
    });
    expect((await fetch(`${base}/api/client/`)).status).toBe(404);
    expect((await fetch(`${base}/status`)).status).toBe(404);
    expect((await fetch(`${base}/api/client/${ADDRESS}`, { method: 'POST' })).status).toBe(405);
    // The status API keeps its token, and lists the new listener.
    const status = await fetch(`${proxy.httpUrl}/status`, {
      headers: { authorization: 'Bearer the-api-token' },
    });
    expect(
      ((await status.json()) as { proxy: { listeners: Record<string, string> } }).proxy.listeners,
    ).toMatchObject({
      public_pool_api: `${base}/api/client/`,
    });
  });
});
