import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import tls from 'node:tls';
import { describe, expect, it, vi } from 'vitest';
import { findShare, poolAccepted, submit } from '../../simulator/pool/test-support/pool-harness.js';
import { dialEndpoint } from '../upstream/dial.js';
import { makeSelfSignedCert, tlsProxySection, writeSelfSignedCert } from './test-support/self-signed-cert.js';
import { tlsPoolFront } from './test-support/tls-pool-front.js';
import { PATIENCE } from '../../test-support/patience.js';
import { proxyFixture } from '../test-support/proxy-fixture.js';

const fx = proxyFixture();

function connectTls(port: number, options: tls.ConnectionOptions): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ...options });
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('TLS towards miners (proxy.tls)', () => {
  it('serves stratum+ssl with the configured certificate: a miner mines a share through it', async () => {
    const cert = writeSelfSignedCert();
    const pool = await fx.pool();
    const proxy = await fx.startProxy(pool.port, { proxy: tlsProxySection(cert) });
    expect(proxy.url).toMatch(/^stratum\+ssl:\/\/127\.0\.0\.1:\d+$/);

    const socket = await connectTls(proxy.stratum.port, { ca: cert.cert });
    expect(socket.authorized).toBe(true);
    expect(new X509Certificate(cert.cert).fingerprint256).toBe(
      socket.getPeerX509Certificate()?.fingerprint256,
    );
    const miner = await fx.minerOver(socket, { worker: 'tls.rig1' });
    expect(await submit(miner, findShare(miner))).toMatchObject({ result: true, error: null });
    await poolAccepted(pool, 1);
    expect(proxy.core.minerCount).toBe(1);
  });

  it('refuses a client that does not trust the certificate, and plain TCP gets no Stratum', async () => {
    const cert = writeSelfSignedCert();
    const pool = await fx.pool();
    const proxy = await fx.startProxy(pool.port, { proxy: tlsProxySection(cert) });
    await expect(connectTls(proxy.stratum.port, {})).rejects.toThrow(/self[- ]signed/i);

    const plain = await fx.client();
    plain.send({ id: 1, method: 'mining.subscribe', params: ['plain'] });
    await plain.waitClosed();
    expect(plain.answers()).toEqual([]);
    expect(proxy.core.minerCount).toBe(0);
  });

  it('re-reads a renewed certificate on reload: new handshakes get it, open sessions stay', async () => {
    const cert = writeSelfSignedCert();
    const pool = await fx.pool();
    const proxy = await fx.startProxy(pool.port, { proxy: tlsProxySection(cert) });
    const first = await connectTls(proxy.stratum.port, { ca: cert.cert });
    const { client } = await fx.minerOver(first, { worker: 'tls.renew' });

    const renewed = makeSelfSignedCert();
    writeFileSync(cert.certFile, renewed.cert);
    writeFileSync(cert.keyFile, renewed.key);
    const report = proxy.reload(proxy.config);
    expect(report.ok).toBe(true);

    const second = await connectTls(proxy.stratum.port, { ca: renewed.cert });
    fx.track({ close: () => void second.destroy() });
    expect(second.getPeerX509Certificate()?.fingerprint256).toBe(
      new X509Certificate(renewed.cert).fingerprint256,
    );
    expect(client.isClosed).toBe(false);
    expect(proxy.core.minerCount).toBeGreaterThanOrEqual(1);
  });

  it('keeps the old certificate when the renewed files are unusable', async () => {
    const cert = writeSelfSignedCert();
    const pool = await fx.pool();
    const proxy = await fx.startProxy(pool.port, { proxy: tlsProxySection(cert) });
    writeFileSync(cert.keyFile, 'not a key');
    const report = proxy.reload(proxy.config);
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(/not a usable certificate and key/);
    const socket = await connectTls(proxy.stratum.port, { ca: cert.cert });
    fx.track({ close: () => void socket.destroy() });
    expect(socket.authorized).toBe(true);
  });
});

describe('TLS towards the pool (upstream.tls)', () => {
  it('mines through a TLS pool with insecure_skip_verify', async () => {
    const cert = writeSelfSignedCert();
    const pool = await fx.pool();
    const front = await tlsPoolFront(pool.port, cert, fx.onTeardown);
    const proxy = await fx.startProxy(front.port, { upstream: { tls: true, insecure_skip_verify: true } });
    const m = await fx.miner({ worker: 'up.tls1' });
    expect(front.handshakes()).toBe(1);
    expect((await submit(m, findShare(m))).error).toBeNull();
    await poolAccepted(pool, 1);
    expect(proxy.core.snapshot().upstream.endpoint.tls).toBe(true);
  });

  it('verifies the pool certificate against a given CA, and fails closed without one', async () => {
    const cert = writeSelfSignedCert();
    const pool = await fx.pool();
    const front = await tlsPoolFront(pool.port, cert, fx.onTeardown);
    const proxy = await fx.startProxy(
      front.port,
      { upstream: { tls: true } },
      { dial: (endpoint) => dialEndpoint(endpoint, cert.cert) },
    );
    const m = await fx.miner({ worker: 'up.tls2' });
    expect((await submit(m, findShare(m))).error).toBeNull();
    await poolAccepted(pool, 1);
    await proxy.stop();

    const strict = await fx.startProxy(front.port, {
      upstream: { tls: true },
      proxy: { listen: '127.0.0.1:0' },
    });
    // A miner's subscribe is what makes the proxy dial (682104c).
    (await fx.client()).send({ id: 1, method: 'mining.subscribe', params: ['tls.waiting'] });
    await vi.waitFor(
      () =>
        expect(
          /self[- ]signed|certificate/i.test(strict.core.snapshot().upstream.lastError ?? ''),
          'the upstream to fail verification',
        ).toBe(true),
      PATIENCE,
    );
    expect(strict.core.snapshot().upstream.session).toBeNull();
  });
});
