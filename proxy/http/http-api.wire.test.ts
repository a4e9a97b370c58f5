import { describe, expect, it, vi } from 'vitest';
import type { PoolSimulator } from '../../simulator/pool/index.js';
import { codeOf, connectMiner, findShare, submit } from '../../simulator/pool/test-support/pool-harness.js';
import { silentLogger } from '../../runtime/logger.js';
import { ConfigError, isLoopbackAddress, judgeHttpExposure, parseConfig } from '../config/index.js';
import type { RunningProxy } from '../run-proxy.js';
import { runProxy } from '../run-proxy.js';
import { PATIENCE } from '../../test-support/patience.js';
import { proxyFixture } from '../test-support/proxy-fixture.js';
import { refusedPort } from '../../test-support/free-ports.js';

const fx = proxyFixture();

let pool: PoolSimulator | undefined;
let proxy: RunningProxy | undefined;

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  fetch(`${proxy?.httpUrl}${path}`, { method, headers });

describe('HTTP API routes', () => {
  it('answers 404 for unknown paths and 405 for other methods', async () => {
    pool = await fx.pool();
    proxy = await fx.startProxy(pool.port);
    expect((await get('/nope')).status).toBe(404);
    expect((await get('/status/extra')).status).toBe(404);
    const post = await get('/status', {}, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await get('/status?pretty=1')).status).toBe(200);
  });

  it('/healthz: 200 idle on demand, 200 with the upstream connected, 503 with the reason when the pool is unreachable', async () => {
    pool = await fx.pool();
    proxy = await fx.startProxy(pool.port);
    let res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', reason: 'idle: no miners, upstream dialled on demand' });
    await fx.miner({ worker: 'health.rig' });
    res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', reason: 'upstream connected' });
    await proxy.stop();

    proxy = await fx.startProxy(await refusedPort(), { upstream: { mode: 'keep-warm' } });
    await vi.waitFor(
      () => expect(proxy?.core.snapshot().upstream.lastError != null, 'a failed dial').toBe(true),
      PATIENCE,
    );
    res = await get('/healthz');
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; reason: string };
    expect(body.status).toBe('unavailable');
    expect(body.reason).toMatch(/^upstream (backoff|connecting|idle).*ECONNREFUSED/);
  });

  it('/status: the documented schema, snake_case throughout, with limits and listener sections', async () => {
    pool = await fx.pool();
    // A cpuminer would start near its typical 5 MH/s: start it where this test can find a share.
    proxy = await fx.startProxy(pool.port, {
      vardiff: { min_diff: 1e-9, start_diff: pool.options.difficulty },
    });
    const m = await connectMiner(proxy.stratum.port, { worker: 'status.rig', userAgent: 'cpuminer/2.5.1' });
    fx.track(m.client);
    expect(codeOf(await submit(m, findShare(m)))).toBeNull();
    expect(codeOf(await submit(m, findShare(m), 'old-job'))).toBe(21);
    await vi.waitFor(
      () => expect(proxy?.core.snapshot().books.pool.totals.accepted, 'the pool answer').toBe(1),
      PATIENCE,
    );
    const status = (await (await get('/status')).json()) as Record<string, Record<string, unknown>>;
    expect(Object.keys(status).sort()).toEqual(['limits', 'proxy', 'totals', 'upstream', 'workers']);
    expect(Object.keys(status.upstream ?? {}).sort()).toEqual(
      [
        'url',
        'host',
        'port',
        'state',
        'connected',
        'since',
        'endpoint_index',
        'extranonce1',
        'extranonce2_size',
        'difficulty',
        'version_mask',
        'last_notify_at',
        'last_share_at',
        'last_error',
        'suggested_difficulty',
      ].sort(),
    );
    expect(status.upstream).toMatchObject({
      connected: true,
      host: '127.0.0.1',
      port: pool.port,
      difficulty: pool.options.difficulty,
      // The one miner's own difficulty (asked of the pool with the first job).
      suggested_difficulty: pool.options.difficulty,
      last_share_at: expect.any(Number),
    });
    expect(status.totals).toMatchObject({
      miners: 1,
      workers: 1,
      accepted: 1,
      rejected: 1,
      forwarded: 1,
      pool_accepted: 1,
    });
    const workers = status.workers as unknown as Record<string, unknown>[];
    expect(workers).toHaveLength(1);
    const w = workers[0] ?? {};
    expect(w).toMatchObject({
      name: 'status.rig',
      kind: 'cpuminer',
      user_agent: 'cpuminer/2.5.1',
      connected: true,
      difficulty: m.difficulty,
      accepted: 1,
      rejected: 1,
      rejected_by_reason: { 'job-not-found': 1 },
      stale: 1,
      duplicates: 0,
      pool: { forwarded: 1, accepted: 1, rejected: 0, accepted_difficulty: pool.options.difficulty },
    });
    expect(w.remote).toMatch(/^127\.0\.0\.1:\d+$/);
    expect((w.latency_ms as { p50: number }).p50).toBeGreaterThanOrEqual(0);
    // One share a moment ago is no rate yet: the estimate waits for a sound window.
    expect(w).toMatchObject({ hashrate: 0, hashrate_warming_up: true });
    expect(status.totals?.hashrate_warming_up).toBe(true);
    expect(Array.isArray(w.vardiff_history)).toBe(true);
    expect(status.proxy).toMatchObject({
      version: expect.any(String),
      started_at: expect.any(Number),
      uptime_seconds: expect.any(Number),
      listeners: { stratum: proxy.url, websocket: null, http: proxy.httpUrl },
      event_readers: 0,
    });
    expect(status.limits).toMatchObject({
      ratelimit: { enabled: false },
      auth_fail_backoff_ms: 3000,
      reject_ban: { ratio: 0.5, min_shares: 500, seconds: 600 },
      banned: [],
    });
    for (const key of JSON.stringify(status).match(/"([^"]+)":/g) ?? []) {
      const name = key.slice(1, -2);
      if (name === 'status.rig' || name === 'job-not-found') continue;
      expect(name, 'snake_case key').toMatch(/^[a-z0-9_]+$/);
    }
  });
});

describe('bearer token (http.token)', () => {
  it('requires the token on every route but /healthz, which then hides its reason', async () => {
    pool = await fx.pool();
    proxy = await fx.startProxy(pool.port, { http: { listen: '127.0.0.1:0', token: 's3cret-token' } });
    const auth = { authorization: 'Bearer s3cret-token' };
    for (const path of ['/status', '/metrics', '/events', '/nope']) {
      const res = await get(path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="karoo"');
      expect((await get(path, { authorization: 'Bearer wrong' })).status, path).toBe(401);
    }
    expect((await get('/status', auth)).status).toBe(200);
    expect((await get('/metrics', auth)).status).toBe(200);
    expect((await get('/nope', auth)).status).toBe(404);
    expect((await get('/status', { authorization: 'bearer   s3cret-token' })).status).toBe(200);
    expect(await (await get('/healthz')).json()).toEqual({ status: 'ok' });
    expect(await (await get('/healthz', auth)).json()).toMatchObject({
      status: 'ok',
      reason: expect.any(String),
    });

    // The token is live: a reload changes it at once.
    expect(proxy.reload({ ...proxy.config, http: { ...proxy.config.http, token: 'rotated' } }).ok).toBe(true);
    expect((await get('/status', auth)).status).toBe(401);
    expect((await get('/status', { authorization: 'Bearer rotated' })).status).toBe(200);
  });

  it('beyond loopback without a token: starts with a warning, or, with http.require_token, refuses to start or to drop the token', async () => {
    pool = await fx.pool();
    const doc = {
      upstream: { host: '127.0.0.1', port: pool.port },
      proxy: { listen: '127.0.0.1:0' },
      http: { listen: '0.0.0.0:0' },
    };
    const exposed = parseConfig(doc);
    expect(exposed.warnings).toEqual([expect.stringMatching(/^http\.token: empty while http\.listen/)]);
    const open = await runProxy(exposed, silentLogger(), { processMetrics: false });
    fx.onTeardown(() => open.stop());
    expect(open.http).toBeDefined();
    // Asked to be strict, the same check refuses it.
    expect(() => judgeHttpExposure({ ...exposed.http, requireToken: true })).toThrow(
      'config: http.token: expected a bearer token because http.listen (0.0.0.0:0) is not a loopback address and http.require_token is true; set http.token or listen on 127.0.0.1',
    );

    const strict = { ...doc, http: { ...doc.http, require_token: true } };
    expect(() => parseConfig(strict)).toThrow(ConfigError);
    const guarded = parseConfig({ ...strict, http: { ...strict.http, token: 'tok' } });
    await expect(
      runProxy({ ...guarded, http: { ...guarded.http, token: null } }, silentLogger()),
    ).rejects.toThrow(ConfigError);
    proxy = await runProxy(guarded, silentLogger(), { processMetrics: false });
    const running = proxy;
    fx.onTeardown(() => running.stop());
    const report = proxy.reload({ ...proxy.config, http: { ...proxy.config.http, token: null } });
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(/^config: http\.token: expected a bearer token/);
    expect(proxy.config.http.token).toBe('tok');
    const relaxed = { ...proxy.config, http: { ...proxy.config.http, token: null, requireToken: false } };
    expect(proxy.reload(relaxed).ok).toBe(true);
  });

  it('knows loopback addresses', () => {
    for (const h of [
      '127.0.0.1',
      '127.3.2.1',
      '::1',
      'localhost',
      'LOCALHOST',
      'api.localhost',
      '::ffff:127.0.0.1',
    ]) {
      expect(isLoopbackAddress(h), h).toBe(true);
    }
    for (const h of ['0.0.0.0', '::', '192.168.1.2', '10.0.0.1', 'example.org', '128.0.0.1']) {
      expect(isLoopbackAddress(h), h).toBe(false);
    }
    const strict = { token: null, requireToken: true };
    expect(judgeHttpExposure({ ...strict, listen: null })).toBeNull();
    expect(judgeHttpExposure({ ...strict, listen: { host: '::1', port: 1 } })).toBeNull();
    expect(() => judgeHttpExposure({ ...strict, listen: { host: '::', port: 1 } })).toThrow(ConfigError);
  });
});
