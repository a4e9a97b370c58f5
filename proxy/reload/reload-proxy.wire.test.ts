import { writeFileSync } from 'node:fs';

import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { PoolSimulator } from '../../simulator/pool/index.js';
import { codeOf, connectMiner, findShare, submit } from '../../simulator/pool/test-support/pool-harness.js';
import type { ProxyConfig } from '../config/index.js';
import type { RunningProxy } from '../run-proxy.js';
import { PATIENCE } from '../../test-support/patience.js';
import { proxyFixture } from '../test-support/proxy-fixture.js';
import { tempDir } from '../../test-support/temp-dir.js';
import { reloadFromFile } from './reload-from-file.js';

const fx = proxyFixture();

let pool: PoolSimulator | undefined;
let proxy: RunningProxy | undefined;

/** Miner difficulty well below the pool's: shares are found in milliseconds and stay local. */
const LOAD_CONFIG = {
  vardiff: { min_diff: 1e-9, start_diff: 1e-6, adjust_every_ms: 3_600_000 },
  upstream: { suggest_difficulty: 'off' },
};

function withVardiff(c: ProxyConfig, v: Partial<ProxyConfig['vardiff']>): ProxyConfig {
  return { ...c, vardiff: { ...c.vardiff, ...v } };
}

describe('reload', () => {
  it('applies new settings under load without dropping a miner or an answer', async () => {
    pool = await fx.pool({ difficulty: 1e-3 });
    proxy = await fx.startProxy(pool.port, LOAD_CONFIG);
    const dropped: string[] = [];
    proxy.core.on('disconnect', (s, reason) => dropped.push(`${s.worker}: ${s.closeReason ?? reason}`));
    const miners = [];
    for (let i = 0; i < 6; i += 1) miners.push(await fx.miner({ worker: `load.rig${i}` }));
    expect(miners.every((m) => m.difficulty === 1e-6)).toBe(true);

    let stop = false;
    let answered = 0;
    const errors: unknown[] = [];
    const loops = miners.map(async (m) => {
      while (!stop) {
        const answer = await submit(m, findShare(m));
        answered += 1;
        if (codeOf(answer) !== null) errors.push(answer.error);
      }
    });
    const base = proxy.config;
    const variants: ProxyConfig[] = [
      withVardiff(base, { minDiff: 2e-9, targetSeconds: 5 }),
      { ...base, ratelimit: { ...base.ratelimit, enabled: true, maxConnectionsPerIp: 50 } },
      {
        ...base,
        limits: { ...base.limits, rejectBanRatio: 0.9 },
        compat: { ...base.compat, strictBroadcast: true },
      },
      { ...base, proxy: { ...base.proxy, maxClients: 500, clientIdleMs: 120_000, readBuf: 8192 } },
      base,
    ];
    for (const next of variants) {
      const before = answered;
      const report = proxy.reload(next);
      expect(report.ok).toBe(true);
      expect(report.needsRestart).toEqual([]);
      await vi.waitFor(
        () => expect(answered >= before + 12, 'more answers after the reload').toBe(true),
        PATIENCE,
      );
    }
    expect(proxy.core.options.maxClients).toBe(base.proxy.maxClients);

    // Raise the floor above every miner's difficulty: it takes effect with the next job.
    const report = proxy.reload(withVardiff(base, { minDiff: 4e-6 }));
    expect(report.changes.map((c) => [c.key, c.effect])).toEqual([['vardiff.min_diff', 'live']]);
    pool.newJob();
    await Promise.all(
      miners.map(async (m) => {
        const [diff] = (await m.client.notification('mining.set_difficulty')).params;
        expect(diff).toBe(4e-6);
      }),
    );
    stop = true;
    await Promise.all(loops);
    expect(dropped).toEqual([]);
    expect(errors).toEqual([]);
    expect(miners.every((m) => !m.client.isClosed)).toBe(true);
    expect(proxy.core.minerCount).toBe(6);
    expect(proxy.config.vardiff.minDiff).toBe(4e-6);
    // Accounting agrees: every answer the miners got was booked.
    expect(proxy.core.snapshot().books.local.totals.accepted).toBe(answered);
  });

  it('reports restart-only keys and keeps them as they run; the upstream policy applies at once', async () => {
    pool = await fx.pool();
    proxy = await fx.startProxy(pool.port);
    const listen = proxy.config.proxy.listen;
    const next: ProxyConfig = {
      ...proxy.config,
      proxy: { ...proxy.config.proxy, listen: { host: '127.0.0.1', port: 4444 } },
      upstream: { ...proxy.config.upstream, mode: 'keep-warm', backoffMinMs: 200 },
      log: { level: 'warn' },
    };
    expect(proxy.core.upstreamState).toBe('idle');
    const report = proxy.reload(next);
    expect(report.ok).toBe(true);
    expect(report.needsRestart).toEqual(['proxy.listen']);
    expect(proxy.config.proxy.listen).toEqual(listen);
    expect(proxy.config.log.level).toBe('warn');
    // keep-warm dials with no miner at all.
    expect(proxy.config.upstream.mode).toBe('keep-warm');
    expect(proxy.core.options.backoffMinMs).toBe(200);
    await vi.waitFor(
      () => expect(proxy?.core.upstreamState, 'the kept-warm upstream').toBe('ready'),
      PATIENCE,
    );
    // Reported again next time, because it still is not in force.
    expect(proxy.reload(next).needsRestart).toEqual(['proxy.listen']);
  });

  it('moves the upstream over to new pool credentials at once, the miners staying', async () => {
    pool = await fx.pool();
    proxy = await fx.startProxy(pool.port);
    const m = await connectMiner(proxy.stratum.port, { worker: 'cred.rig' });
    fx.track(m.client);
    m.client.send({ id: 77, method: 'mining.extranonce.subscribe', params: [] });
    await m.client.answer(77);
    const report = proxy.reload({
      ...proxy.config,
      upstream: { ...proxy.config.upstream, user: 'karoo.rotated' },
    });
    expect(report.changes.find((c) => c.key === 'upstream.user')).toMatchObject({
      effect: 'live',
      to: 'karoo.rotated',
    });
    await vi.waitFor(
      () =>
        expect(proxy?.core.snapshot().upstream.endpoint.user, 'the session under the new user').toBe(
          'karoo.rotated',
        ),
      PATIENCE,
    );
    expect(proxy.core.upstreamState).toBe('ready');
    // The old session is hung up once the new one serves (the pool lists open sessions).
    await vi.waitFor(
      () =>
        expect(
          pool?.sessions().flatMap((s) => s.workers),
          'only the new session open',
        ).toEqual(['karoo.rotated']),
      PATIENCE,
    );
    // The extranonce-aware miner stayed through the pool session change.
    expect(m.client.isClosed).toBe(false);
  });

  it('leaves everything as it was when the file is bad', async () => {
    pool = await fx.pool();
    proxy = await fx.startProxy(pool.port);
    const dir = tempDir('reload');
    const file = join(dir, 'config.json');
    writeFileSync(file, '{ "upstream": { "host": "127.0.0.1", "port": "x" } }');
    const before = proxy.config;
    const report = reloadFromFile(proxy, file);
    expect(report).toMatchObject({ ok: false, changes: [], needsRestart: [] });
    expect(report.error).toBe(`config: ${file}: upstream.port: expected an integer from 1 to 65535, got "x"`);
    expect(proxy.config).toBe(before);
    expect(reloadFromFile(proxy, join(dir, 'missing.json')).error).toMatch(
      /cannot read the file: no such file or directory \(ENOENT\)/,
    );
  });
});
