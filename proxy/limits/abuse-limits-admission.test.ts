import { PassThrough } from 'node:stream';
import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../runtime/test-support/manual-clock.js';
import { silentLogger } from '../../runtime/logger.js';
import { AbuseLimits } from './abuse-limits.js';
import type { LimitSettings } from './limit-settings.js';

const settings: LimitSettings = {
  ip: { enabled: true, maxConnectionsPerIp: 2, maxConnectionsPerMinute: 0, banDurationMs: 60_000 },
  cleanupIntervalMs: 60_000,
  authFailBackoffMs: 0,
  rejectBan: { ratio: 0, minShares: 10, banMs: 0 },
};

function gated() {
  const limits = new AbuseLimits(settings, new ManualClock(0), silentLogger());
  const accepted: Duplex[] = [];
  const gate = limits.gate({ accept: (stream) => accepted.push(stream) });
  const connect = (remote: string): Duplex => {
    const stream = new PassThrough();
    gate.accept(stream, remote);
    return stream;
  };
  return { limits, accepted, connect };
}

describe('abuse limits: admission and release (in memory)', () => {
  it('counts an address’s connections until each closes, and a close is released once however often it fires', () => {
    const { limits, accepted, connect } = gated();
    const a = connect('10.0.0.1:4000');
    connect('10.0.0.1:4001');
    const third = connect('10.0.0.1:4002');
    expect(accepted).toHaveLength(2);
    expect(third.destroyed).toBe(true);
    expect(limits.snapshot().refused).toEqual({ 'per-ip': 1 });

    // A stream may emit close more than once (a wrapper and its socket): the slot comes back once.
    a.emit('close');
    a.emit('close');
    connect('10.0.0.1:4003');
    const fourth = connect('10.0.0.1:4004');
    expect(accepted).toHaveLength(3);
    expect(fourth.destroyed).toBe(true);

    // Another address has its own count, and one listener serves every stream.
    connect('10.0.0.2:5000');
    expect(accepted).toHaveLength(4);
    expect(a.listeners('close')).toEqual(accepted[3]?.listeners('close'));
    limits.close();
  });
});
