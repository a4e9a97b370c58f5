import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { findShare, poolAccepted, submit } from '../../simulator/pool/test-support/pool-harness.js';
import { tlsProxySection, writeSelfSignedCert } from './test-support/self-signed-cert.js';
import { WebSocketLineStream } from './ws-listener.js';
import { PATIENCE } from '../../test-support/patience.js';
import { proxyFixture } from '../test-support/proxy-fixture.js';

const fx = proxyFixture();

const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
});

function openWs(url: string, options: { ca?: string } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    sockets.push(ws);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('Stratum over WebSocket (proxy.websocket)', () => {
  it('mines a real share from a ws client through the proxy, one JSON-RPC message per frame', async () => {
    const pool = await fx.pool();
    const proxy = await fx.startProxy(pool.port, {
      proxy: { listen: '127.0.0.1:0', websocket: { enabled: true, listen: '127.0.0.1:0' } },
    });
    expect(proxy.websocketUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const ws = await openWs(proxy.websocketUrl ?? '');
    const frames: string[] = [];
    ws.on('message', (data) => frames.push(String(data)));
    const miner = await fx.minerOver(new WebSocketLineStream(ws), {
      worker: 'ws.browser1',
      userAgent: 'webminer/0.1',
    });
    expect(await submit(miner, findShare(miner))).toMatchObject({ result: true, error: null });
    await poolAccepted(pool, 1);

    expect(frames.length).toBeGreaterThanOrEqual(4); // subscribe, authorize, set_difficulty, notify, submit
    for (const frame of frames) {
      expect(frame).not.toContain('\n');
      expect(() => JSON.parse(frame) as unknown).not.toThrow();
    }
    const [session] = proxy.core.snapshot().miners;
    expect(session?.worker).toBe('ws.browser1');
    expect(session?.remote).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('serves wss:// with the TLS certificate when proxy.tls is on', async () => {
    const cert = writeSelfSignedCert();
    const pool = await fx.pool();
    const proxy = await fx.startProxy(pool.port, {
      proxy: tlsProxySection(cert, { websocket: { enabled: true, listen: '127.0.0.1:0' } }),
    });
    expect(proxy.websocketUrl).toMatch(/^wss:\/\//);
    const ws = await openWs(proxy.websocketUrl ?? '', { ca: cert.cert });
    const miner = await fx.minerOver(new WebSocketLineStream(ws), {
      worker: 'wss.rig',
    });
    expect((await submit(miner, findShare(miner))).result).toBe(true);
    await expect(openWs(proxy.websocketUrl ?? '')).rejects.toThrow(/self[- ]signed/i);
  });

  it('closes a connection whose frame is over the line cap, and answers plain HTTP with 426', async () => {
    const pool = await fx.pool();
    const proxy = await fx.startProxy(pool.port, {
      proxy: { listen: '127.0.0.1:0', read_buf: 512, websocket: { enabled: true, listen: '127.0.0.1:0' } },
    });
    const ws = await openWs(proxy.websocketUrl ?? '');
    const closed = new Promise<void>((r) => ws.once('close', () => r()));
    await vi.waitFor(() => expect(proxy.core.minerCount, 'the session').toBe(1), PATIENCE);
    const reasons: string[] = [];
    proxy.core.on('disconnect', (_s, reason) => reasons.push(reason));
    ws.send(JSON.stringify({ id: 1, method: 'mining.subscribe', params: ['x'.repeat(600)] }));
    await closed;
    await vi.waitFor(() => expect(proxy.core.minerCount, 'the session to end').toBe(0), PATIENCE);
    expect(reasons).toEqual(['line-too-long']);

    const res = await fetch(`http://127.0.0.1:${proxy.websocket?.port}/`);
    expect(res.status).toBe(426);
  });
});
