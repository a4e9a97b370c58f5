import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PoolSimulator } from '../../simulator/pool/index.js';
import { ManualClock } from '../../runtime/test-support/manual-clock.js';
import { codeOf, connectMiner, findShare, submit } from '../../simulator/pool/test-support/pool-harness.js';
import type { RunningProxy } from '../run-proxy.js';
import { PROXY_VERSION } from '../run-proxy.js';
import { SseStream } from './sse-stream.js';
import { SseReader } from './test-support/sse-reader.js';
import { PATIENCE } from '../../test-support/patience.js';
import { proxyFixture } from '../test-support/proxy-fixture.js';

const fx = proxyFixture();

let pool: PoolSimulator | undefined;
let proxy: RunningProxy | undefined;
const readers: SseReader[] = [];

afterEach(async () => {
  for (const r of readers.splice(0)) r.close();
});

async function open(path = '/events'): Promise<SseReader> {
  const r = await SseReader.open(`${proxy?.httpUrl}${path}`);
  readers.push(r);
  return r;
}

const keys = (o: Record<string, unknown>): string[] => Object.keys(o).sort();

describe('GET /events (server-sent events)', () => {
  it('sends hello, then connect, upstream, share, pool-share, vardiff and disconnect with the documented fields', async () => {
    pool = await fx.pool();
    proxy = await fx.startProxy(pool.port);
    const sse = await open();
    expect(sse.status).toBe(200);
    expect(sse.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const hello = await sse.next('hello');
    expect(hello).toEqual({ at: expect.any(Number), version: PROXY_VERSION });
    expect(sse.raw.startsWith('event: hello\ndata: {')).toBe(true);

    const m = await connectMiner(proxy.stratum.port, { worker: 'sse.rig1' });
    fx.track(m.client);
    const connect = await sse.next('connect');
    expect(keys(connect)).toEqual(['at', 'conn', 'remote']);
    expect(connect.remote).toMatch(/^127\.0\.0\.1:\d+$/);
    const upstream = await sse.next('upstream', (d) => d.state === 'ready');
    expect(upstream).toEqual({
      at: expect.any(Number),
      state: 'ready',
      url: `stratum+tcp://127.0.0.1:${pool.port}`,
      last_error: null,
    });

    expect(codeOf(await submit(m, findShare(m)))).toBeNull();
    expect(codeOf(await submit(m, findShare(m), 'stale-one'))).toBe(21);
    const share = await sse.next('share', (d) => d.accepted === true);
    expect(share).toEqual({
      at: expect.any(Number),
      worker: 'sse.rig1',
      accepted: true,
      reason: null,
      code: null,
      difficulty: m.difficulty,
      share_difficulty: expect.any(Number),
      forwarded: true,
      block_candidate: false,
      job_id: m.job.jobId,
    });
    const rejected = await sse.next('share', (d) => d.accepted === false);
    expect(rejected).toMatchObject({
      reason: 'job-not-found',
      code: 21,
      share_difficulty: null,
      forwarded: false,
      job_id: 'stale-one',
    });
    const poolShare = await sse.next('pool-share');
    expect(poolShare).toEqual({
      at: expect.any(Number),
      worker: 'sse.rig1',
      accepted: true,
      reason: null,
      difficulty: pool.options.difficulty,
      latency_ms: expect.any(Number),
    });

    // A reload that raises the floor moves the miner's difficulty: a vardiff event.
    const floor = proxy.config.vardiff.minDiff * 4;
    proxy.reload({
      ...proxy.config,
      vardiff: {
        ...proxy.config.vardiff,
        minDiff: floor,
        maxDiff: Math.max(floor, proxy.config.vardiff.maxDiff),
      },
    });
    const vardiff = await sse.next('vardiff');
    expect(vardiff).toEqual({
      at: expect.any(Number),
      worker: 'sse.rig1',
      from: expect.any(Number),
      to: floor,
      reason: 'reconfigured',
    });

    await m.client.close();
    const disconnect = await sse.next('disconnect');
    expect(disconnect).toEqual({
      at: expect.any(Number),
      conn: connect.conn,
      worker: 'sse.rig1',
      remote: connect.remote,
      reason: 'peer-closed',
    });

    // Exact framing: every record is `event: <type>\ndata: <one line of JSON>\n\n`.
    const blocks = sse.raw.split('\n\n').filter((b) => b !== '');
    for (const block of blocks) {
      if (block.startsWith(':')) continue;
      expect(block).toMatch(/^event: [a-z-]+\ndata: \{[^\n]*\}$/);
    }
  });

  it('sends a `: ping` heartbeat every 15 s and stops when the reader leaves', async () => {
    const clock = new ManualClock();
    pool = await fx.pool();
    proxy = await fx.startProxy(pool.port, {}, { clock });
    const sse = await open();
    await sse.next('hello');
    clock.advance(15_000);
    await sse.waitFor('a ping', () => sse.records.some((r) => r.type === '' && r.data === 'ping'));
    expect(sse.raw).toContain('\n\n: ping\n\n');
    expect(proxy.events.subscriberCount).toBe(1);
    sse.close();
    await vi.waitFor(
      () => expect(proxy?.events.subscriberCount, 'the stream to be released').toBe(0),
      PATIENCE,
    );
  });

  it('answers HEAD with the headers only, and refuses readers past the cap', async () => {
    pool = await fx.pool();
    proxy = await fx.startProxy(pool.port);
    const head = await fetch(`${proxy.httpUrl}/events`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const many = await Promise.all(Array.from({ length: 32 }, () => open()));
    await Promise.all(many.map((r) => r.next('hello')));
    const refused = await fetch(`${proxy.httpUrl}/events`);
    expect(refused.status).toBe(503);
  });
});

describe('SseStream', () => {
  class FakeResponse extends EventEmitter {
    writableLength = 0;
    destroyed = false;
    written: string[] = [];
    write(text: string): boolean {
      this.written.push(text);
      this.writableLength += Buffer.byteLength(text);
      return true;
    }
    end(): void {
      this.emit('close');
    }
    destroy(): void {
      this.destroyed = true;
      this.emit('close');
    }
  }

  it('drops a reader that falls behind by more than the queue cap instead of buffering', () => {
    const res = new FakeResponse();
    const sse = new SseStream(res as unknown as ServerResponse, 200);
    expect(sse.send('share', { n: 1 })).toBe(true);
    expect(res.written).toEqual(['event: share\ndata: {"n":1}\n\n']);
    let sent = 1;
    while (sse.send('share', { n: sent, pad: 'x'.repeat(20) })) sent += 1;
    expect(res.destroyed).toBe(true);
    expect(res.writableLength).toBeLessThanOrEqual(200);
    expect(sse.isOpen).toBe(false);
    expect(sse.comment('ping')).toBe(false);
  });

  it('keeps multi-line text on one data line', () => {
    const res = new FakeResponse();
    new SseStream(res as unknown as ServerResponse).send('disconnect', { reason: 'a\nb' });
    expect(res.written[0]).toBe('event: disconnect\ndata: {"reason":"a\\nb"}\n\n');
  });
});
