import { describe, expect, it } from 'vitest';
import type { MinerView } from '../core/index.js';
import { disconnectData, poolShareData, shareData } from '../events/event-payloads.js';
import type { ProxyEvent } from './events-contract.js';
import { PROXY_EVENT_TYPES, parseProxyEvent } from './proxy-event.js';
import type { ProxyEvent as ReadEvent } from './proxy-event.js';

describe('parseProxyEvent', () => {
  it('reads every event type of the /events contract', () => {
    const samples: Record<string, object> = {
      hello: { at: 1, version: '0.1.0' },
      share: {
        at: 2,
        worker: 'rack.nerd-01',
        accepted: false,
        reason: 'low-difficulty',
        code: 23,
        difficulty: 0.001,
        share_difficulty: 0.0004,
        forwarded: false,
        job_id: '1a',
      },
      'pool-share': {
        at: 3,
        worker: 'rack.nerd-01',
        accepted: true,
        reason: null,
        difficulty: 1024,
        latency_ms: 35,
      },
      vardiff: { at: 4, worker: 'rack.nerd-01', from: 0.001, to: 0.002, reason: 'too-fast' },
      connect: { at: 5, conn: 12, remote: '10.0.0.7:5000' },
      disconnect: { at: 6, conn: 12, worker: null, remote: '10.0.0.7:5000', reason: 'idle' },
      upstream: { at: 7, state: 'backoff', url: 'stratum+tcp://pool:3333', last_error: 'ECONNRESET' },
    };
    expect(Object.keys(samples).sort()).toEqual([...PROXY_EVENT_TYPES].sort());
    for (const [type, data] of Object.entries(samples)) {
      const e = parseProxyEvent(type, JSON.stringify(data));
      expect(e?.type).toBe(type);
    }
    expect(parseProxyEvent('connect', JSON.stringify(samples.connect))).toEqual({
      type: 'connect',
      at: 5,
      conn: '12',
      remote: '10.0.0.7:5000',
    });
  });

  it('reads a missing nullable field as null and drops unknown fields', () => {
    expect(
      parseProxyEvent('pool-share', '{"at":1,"worker":"w","accepted":false,"difficulty":2,"extra":true}'),
    ).toEqual({
      type: 'pool-share',
      at: 1,
      worker: 'w',
      accepted: false,
      reason: null,
      difficulty: 2,
      latency_ms: null,
    });
  });

  it('ignores unknown types, bodies that are not JSON and bodies of the wrong shape', () => {
    expect(parseProxyEvent('block-found', '{"at":1}')).toBeUndefined();
    expect(parseProxyEvent('toString', '{"at":1}')).toBeUndefined();
    expect(parseProxyEvent('share', '{not json')).toBeUndefined();
    expect(parseProxyEvent('share', '{"at":1,"worker":"w"}')).toBeUndefined();
    expect(parseProxyEvent('vardiff', '{"at":"yesterday","worker":"w","from":1,"to":2}')).toBeUndefined();
  });
});

describe('the /events contract, both sides', () => {
  it('reads back every event the proxy builds, field for field', () => {
    const miner = {
      id: 3,
      worker: 'rack.axe-01',
      authorized: true,
      remoteAddress: '10.0.0.9:4000',
      closeReason: 'idle',
    } as unknown as MinerView;
    const built: ProxyEvent[] = [
      { type: 'hello', data: { at: 1, version: '0.1.0' } },
      {
        type: 'share',
        data: shareData(2, {
          worker: 'rack.axe-01',
          accepted: false,
          reason: 'low-difficulty',
          code: 23,
          difficulty: 0.5,
          shareDifficulty: 0.1,
          jobId: '7',
          forwarded: false,
        }),
      },
      {
        type: 'pool-share',
        data: poolShareData(3, {
          worker: 'rack.axe-01',
          accepted: true,
          difficulty: 1024,
          latencyMs: 12,
          jobId: '7',
          hash: 'ab',
        }),
      },
      { type: 'vardiff', data: { at: 4, worker: 'rack.axe-01', from: 1, to: 2, reason: 'too-fast' } },
      { type: 'connect', data: { at: 5, conn: 3, remote: '10.0.0.9:4000' } },
      { type: 'disconnect', data: disconnectData(6, miner, 'peer-closed') },
      { type: 'upstream', data: { at: 7, state: 'ready', url: 'stratum+tcp://pool:3333', last_error: null } },
    ];
    expect(built.map((e) => e.type).sort()).toEqual([...PROXY_EVENT_TYPES].sort());
    for (const e of built) {
      const read = parseProxyEvent(e.type, JSON.stringify(e.data));
      expect(read?.type, e.type).toBe(e.type);
      const { type: _type, ...fields } = read as ReadEvent;
      const ids = e.type === 'connect' || e.type === 'disconnect' ? { conn: String(e.data.conn) } : {};
      expect(fields, e.type).toEqual({ ...e.data, ...ids });
    }
  });
});
