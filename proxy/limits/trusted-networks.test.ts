import { describe, expect, it } from 'vitest';
import { IpLimiter } from './ip-limiter.js';
import { TrustedNetworks } from './trusted-networks.js';

const T0 = 1_800_000_000_000;

describe('TrustedNetworks', () => {
  it('matches IPv4 and IPv6 ranges and single addresses, nothing else', () => {
    const t = new TrustedNetworks(['192.168.1.0/24', 'fd00::/8', '10.0.0.7/32', '::1/128']);
    for (const ip of ['192.168.1.1', '192.168.1.254', 'fd12:3456::1', '10.0.0.7', '::1']) {
      expect(t.has(ip), ip).toBe(true);
    }
    for (const ip of ['192.168.2.1', '10.0.0.8', 'fe80::1', '::2', 'unknown', '']) {
      expect(t.has(ip), ip).toBe(false);
    }
    expect(new TrustedNetworks([]).has('127.0.0.1')).toBe(false);
    expect(new TrustedNetworks(['0.0.0.0/0']).has('8.8.8.8')).toBe(true);
  });

  it('keeps the ranges it understood, normalised', () => {
    expect(new TrustedNetworks(['10.1.2.3/8', 'FD00::/8', 'junk']).ranges).toEqual([
      '10.1.2.3/8',
      'fd00::/8',
    ]);
  });
});

describe('IpLimiter with ratelimit.trusted', () => {
  const limiter = () =>
    new IpLimiter({
      enabled: true,
      maxConnectionsPerIp: 2,
      maxConnectionsPerMinute: 3,
      banDurationMs: 60_000,
      trusted: ['192.168.1.0/24'],
    });

  it('admits a trusted address past the count and rate limits, untracked', () => {
    const l = limiter();
    for (let i = 0; i < 100; i += 1) expect(l.admit('192.168.1.20', T0 + i)).toEqual({ ok: true });
    expect(l.openFrom('192.168.1.20')).toBe(0);
    expect(l.trackedCount).toBe(0);
    expect(l.admit('192.168.2.20', T0)).toEqual({ ok: true });
    expect(l.admit('192.168.2.20', T0)).toEqual({ ok: true });
    expect(l.admit('192.168.2.20', T0)).toMatchObject({ ok: false, reason: 'per-ip' });
  });

  it('never bans a trusted address, and a reload that trusts a banned one lifts its ban', () => {
    const l = limiter();
    expect(l.ban('192.168.1.9', T0, 60_000, 'test')).toBeUndefined();
    expect(l.bans(T0)).toEqual([]);
    expect(l.ban('10.0.0.1', T0, 60_000, 'test')).toMatchObject({ ip: '10.0.0.1' });
    expect(l.admit('10.0.0.1', T0)).toMatchObject({ ok: false, reason: 'banned' });
    l.reconfigure({
      enabled: true,
      maxConnectionsPerIp: 2,
      maxConnectionsPerMinute: 3,
      banDurationMs: 60_000,
      trusted: ['10.0.0.0/8'],
    });
    expect(l.bans(T0)).toEqual([]);
    expect(l.admit('10.0.0.1', T0)).toEqual({ ok: true });
    expect(l.isTrusted('192.168.1.9')).toBe(false);
  });
});
