import { describe, expect, it, vi } from 'vitest';
import { codeOf, findShare, submit } from '../../simulator/pool/test-support/pool-harness.js';
import { PATIENCE } from '../../test-support/patience.js';
import { writeSelfSignedCert } from '../listeners/test-support/self-signed-cert.js';
import { tlsPoolFront } from '../listeners/test-support/tls-pool-front.js';
import { proxyFixture } from '../test-support/proxy-fixture.js';
import { dialEndpoint } from './dial.js';
import { startMicrosocks } from './test-support/microsocks.js';

const fx = proxyFixture();
const AUTH = { username: 'rack', password: 'socks-s3cret' };

const socksSection = (port: number, password = AUTH.password) => ({
  enabled: true,
  type: 'socks5',
  host: '127.0.0.1',
  port,
  username: AUTH.username,
  password,
});

describe('upstream.socks_proxy (a real SOCKS5 server, microsocks)', () => {
  it('a miner mines through Karoo whose pool connection goes through the SOCKS proxy', async () => {
    const socks = await startMicrosocks(AUTH);
    const pool = await fx.pool();
    const proxy = await fx.startProxy(pool.port, { upstream: { socks_proxy: socksSection(socks.port) } });
    const miner = await fx.miner({ worker: 'socks.rig1' });
    expect(codeOf(await submit(miner, findShare(miner)))).toBeNull();
    await vi.waitFor(() => expect(pool.stats().totals.accepted).toBeGreaterThanOrEqual(1), PATIENCE);
    expect(socks.log()).toContain(`connected to 127.0.0.1:${pool.port}`);
    expect(proxy.core.snapshot().upstream.session).not.toBeNull();
  });

  it('TLS to the pool runs inside the SOCKS tunnel, verified end to end', async () => {
    const socks = await startMicrosocks(AUTH);
    const cert = writeSelfSignedCert();
    const pool = await fx.pool();
    const { port: front } = await tlsPoolFront(pool.port, cert, fx.onTeardown);
    const proxy = await fx.startProxy(
      front,
      { upstream: { tls: true, socks_proxy: socksSection(socks.port) } },
      // Verified against the test certificate (not insecure_skip_verify): the handshake is the pool's.
      { dial: (endpoint) => dialEndpoint(endpoint, cert.cert) },
    );
    const miner = await fx.miner({ worker: 'socks.tls' });
    expect(codeOf(await submit(miner, findShare(miner)))).toBeNull();
    expect(proxy.core.snapshot().upstream.endpoint.tls).toBe(true);
    expect(socks.log()).toContain(`connected to 127.0.0.1:${front}`);
  });

  it('a wrong SOCKS password fails the dial with a clear last error that does not show it', async () => {
    const socks = await startMicrosocks(AUTH);
    const pool = await fx.pool();
    const proxy = await fx.startProxy(pool.port, {
      upstream: { socks_proxy: socksSection(socks.port, 'not-the-password') },
    });
    const client = await fx.client();
    client.sendLine('{"id":1,"method":"mining.subscribe","params":["socks-test"]}');
    await vi.waitFor(
      () => expect(proxy.core.snapshot().upstream.lastError ?? '').toMatch(/^SOCKS proxy/),
      PATIENCE,
    );
    expect(proxy.core.snapshot().upstream.lastError).toBe(
      `SOCKS proxy 127.0.0.1:${socks.port}: authentication failed for user "rack" (wrong socks_proxy.username or password)`,
    );
    expect(socks.log()).not.toContain('connected to');
    expect(pool.stats().totals.accepted).toBe(0);
  });

  it('dialEndpoint: no authentication when no username is set; a SOCKS proxy that is not there is named', async () => {
    const socks = await startMicrosocks();
    const pool = await fx.pool();
    const endpoint = {
      host: '127.0.0.1',
      port: pool.port,
      user: 'u',
      pass: 'x',
      tls: false,
      insecureSkipVerify: false,
    };
    const socket = await dialEndpoint({ ...endpoint, socks: { host: '127.0.0.1', port: socks.port } });
    socket.destroy();
    await vi.waitFor(() => expect(socks.log()).toContain(`connected to 127.0.0.1:${pool.port}`), PATIENCE);
    await expect(
      dialEndpoint({ ...endpoint, socks: { host: '127.0.0.1', port: 1, username: 'u', password: 'p' } }),
    ).rejects.toThrow(/^SOCKS proxy 127\.0\.0\.1:1: connect ECONNREFUSED/);
  });
});
