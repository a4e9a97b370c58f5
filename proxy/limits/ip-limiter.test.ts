import { describe, expect, it } from 'vitest';
import { IpLimiter, RATE_WINDOW_MS } from './ip-limiter.js';
import type { IpLimitSettings } from './ip-limiter.js';

const T0 = 1_800_000_000_000; // a whole minute: windows start here
const settings = (o: Partial<IpLimitSettings> = {}): IpLimitSettings => ({
  enabled: true,
  maxConnectionsPerIp: 0,
  maxConnectionsPerMinute: 0,
  banDurationMs: 300_000,
  ...o,
});

describe('IpLimiter', () => {
  it('counts open connections per address and frees a slot on release', () => {
    const l = new IpLimiter(settings({ maxConnectionsPerIp: 2 }));
    expect(l.admit('10.0.0.1', T0)).toEqual({ ok: true });
    expect(l.admit('10.0.0.1', T0)).toEqual({ ok: true });
    expect(l.admit('10.0.0.1', T0)).toMatchObject({ ok: false, reason: 'per-ip' });
    expect(l.admit('10.0.0.2', T0)).toEqual({ ok: true });
    l.release('10.0.0.1', T0 + 1);
    expect(l.openFrom('10.0.0.1')).toBe(1);
    expect(l.admit('10.0.0.1', T0 + 2)).toEqual({ ok: true });
  });

  it('bans an address that opens more than the per-minute rate, until the ban ends', () => {
    const l = new IpLimiter(settings({ maxConnectionsPerMinute: 3, banDurationMs: 60_000 }));
    for (let i = 0; i < 3; i += 1) {
      expect(l.admit('10.0.0.9', T0 + i)).toEqual({ ok: true });
      l.release('10.0.0.9', T0 + i);
    }
    const flood = l.admit('10.0.0.9', T0 + 10);
    expect(flood).toMatchObject({
      ok: false,
      reason: 'rate',
      ban: { ip: '10.0.0.9', until: T0 + 10 + 60_000 },
    });
    expect(l.admit('10.0.0.9', T0 + 59_000)).toMatchObject({ ok: false, reason: 'banned' });
    expect(l.admit('10.0.0.8', T0 + 11)).toEqual({ ok: true });
    expect(l.bans(T0 + 20).map((b) => b.ip)).toEqual(['10.0.0.9']);
    expect(l.admit('10.0.0.9', T0 + 10 + 60_000 + 2 * RATE_WINDOW_MS)).toEqual({ ok: true });
    expect(l.bans(T0 + 10 + 60_000)).toEqual([]);
  });

  it('slides the rate window: the previous minute still counts for the part that overlaps', () => {
    const l = new IpLimiter(settings({ maxConnectionsPerMinute: 4, banDurationMs: 0 }));
    for (let i = 0; i < 4; i += 1) l.admit('h', T0 + RATE_WINDOW_MS - 1000 + i); // end of minute 0
    // Two seconds into the next minute ~97% of those 4 still count: one more is too many.
    expect(l.admit('h', T0 + RATE_WINDOW_MS + 2000)).toMatchObject({ ok: false, reason: 'rate' });
    // Without a ban duration nothing lingers: later in the minute there is room again.
    expect(l.admit('h', T0 + 2 * RATE_WINDOW_MS - 1000)).toEqual({ ok: true });
  });

  it('applies no count or rate limit when disabled, but honours bans', () => {
    const l = new IpLimiter(settings({ enabled: false, maxConnectionsPerIp: 1, maxConnectionsPerMinute: 1 }));
    for (let i = 0; i < 5; i += 1) expect(l.admit('a', T0 + i)).toEqual({ ok: true });
    l.ban('a', T0, 1000, 'test');
    expect(l.admit('a', T0 + 10)).toMatchObject({ ok: false, reason: 'banned' });
    l.reconfigure(settings({ maxConnectionsPerIp: 1 }));
    expect(l.admit('b', T0)).toEqual({ ok: true });
    expect(l.admit('b', T0)).toMatchObject({ ok: false, reason: 'per-ip' });
  });

  it('stays bounded: idle records are swept, and past the cap new addresses go untracked', () => {
    const l = new IpLimiter(settings({ maxConnectionsPerIp: 1 }), 3);
    for (const ip of ['a', 'b', 'c']) l.admit(ip, T0);
    expect(l.trackedCount).toBe(3);
    expect(l.admit('d', T0)).toEqual({ ok: true });
    expect(l.trackedCount).toBe(3);
    for (const ip of ['a', 'b', 'c']) l.release(ip, T0);
    l.sweep(T0 + 2 * RATE_WINDOW_MS);
    expect(l.trackedCount).toBe(0);
    for (let i = 0; i < 10; i += 1) l.ban(`x${i}`, T0, 10_000, 'test');
    expect(l.bans(T0).length).toBe(3);
  });
});
