import { describe, expect, it } from 'vitest';
import type { StratumSessionView } from './bench.js';
import { remoteHost } from './bench.js';
import { bindSession } from './session-binding.js';

function view(worker: string, over: Partial<StratumSessionView> = {}): StratumSessionView {
  return {
    worker,
    remote: '10.0.0.9:40000',
    connected: true,
    connectedAt: 1000,
    userAgent: 'NerdMinerV2/V1.8.3',
    extranonce1: null,
    difficulty: 0.0001,
    accepted: 0,
    rejected: 0,
    poolAccepted: 0,
    poolRejected: 0,
    hashrate: null,
    ...over,
  };
}

const opts = { skewMs: 2000 };

describe('bindSession', () => {
  it('ties by worker name, preferring a connected session, then the newest', () => {
    const old = view('bc1q.a', { connectedAt: 500 });
    const gone = view('bc1q.a', { connectedAt: 2000, connected: false });
    const other = view('bc1q.b', { connectedAt: 3000 });
    expect(bindSession({ worker: 'bc1q.a' }, [other, gone, old], opts)).toEqual({
      session: old,
      by: 'worker',
    });
    const newer = view('bc1q.a', { connectedAt: 900 });
    expect(bindSession({ worker: 'bc1q.a' }, [old, newer], opts)?.session).toBe(newer);
    expect(bindSession({ worker: 'bc1q.a' }, [gone], opts)).toEqual({ session: gone, by: 'worker' });
  });

  it('falls back to the remote address when one worker connects from the board IP', () => {
    const a = view('w.a', { remote: '192.168.1.57:51000', connectedAt: 100 });
    const b = view('w.b', { remote: '192.168.1.58:51000' });
    expect(bindSession({ worker: 'unknown', ip: '192.168.1.57' }, [a, b], opts)).toEqual({
      session: a,
      by: 'remote',
    });
    expect(bindSession({ ip: '192.168.1.57' }, [b, a], opts)?.by).toBe('remote');
  });

  it('does not guess when several workers share the IP (NAT), and uses timing instead', () => {
    const a = view('w.a', { remote: '10.0.0.1:1', connectedAt: 10_000 });
    const b = view('w.b', { remote: '10.0.0.1:2', connectedAt: 20_000 });
    expect(bindSession({ ip: '10.0.0.1' }, [a, b], opts)).toBeUndefined();
    expect(bindSession({ ip: '10.0.0.1', subscribedAt: 20_300 }, [a, b], opts)).toEqual({
      session: b,
      by: 'timing',
    });
  });

  it('ties by timing only when exactly one connected session is within the skew', () => {
    const a = view('w.a', { connectedAt: 10_000 });
    const b = view('w.b', { connectedAt: 11_000 });
    expect(bindSession({ subscribedAt: 10_500 }, [a, b], opts)).toBeUndefined();
    expect(bindSession({ subscribedAt: 8_500 }, [a, b], opts)).toEqual({ session: a, by: 'timing' });
    expect(bindSession({ subscribedAt: 50_000 }, [a, b], opts)).toBeUndefined();
    const down = view('w.c', { connectedAt: 50_100, connected: false });
    expect(bindSession({ subscribedAt: 50_000 }, [down], opts)).toBeUndefined();
  });

  it('leaves sessions tied to other boards out of the remote and timing fallbacks', () => {
    const a = view('w.a', { connectedAt: 10_000 });
    const b = view('w.b', { connectedAt: 10_500 });
    expect(bindSession({ subscribedAt: 10_200 }, [a, b], { ...opts, taken: new Set(['w.a']) })).toEqual({
      session: b,
      by: 'timing',
    });
  });
});

describe('remoteHost', () => {
  it.each([
    ['127.0.0.1:5000', '127.0.0.1'],
    ['[::1]:5000', '::1'],
    ['[::ffff:192.168.1.5]:40000', '192.168.1.5'],
    ['::ffff:10.0.0.2', '10.0.0.2'],
    ['192.168.1.9', '192.168.1.9'],
    ['fe80::1', 'fe80::1'],
  ])('%s -> %s', (remote, host) => {
    expect(remoteHost(remote)).toBe(host);
  });

  it('is undefined for no address', () => {
    expect(remoteHost(null)).toBeUndefined();
    expect(remoteHost('')).toBeUndefined();
  });
});
