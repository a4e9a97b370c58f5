import { describe, expect, it } from 'vitest';
import { AuthBackoff, DEFAULT_AUTH_BACKOFF_MAX_MS } from './auth-backoff.js';
import { RejectRatio } from './reject-ratio.js';
import { ipOfRemote } from './remote-ip.js';
import { MAX_WORKER_NAME_LENGTH, workerNameProblem } from './worker-name.js';

describe('ipOfRemote', () => {
  it('takes the address from the forms the listeners produce', () => {
    expect(ipOfRemote('192.168.1.50:40312')).toBe('192.168.1.50');
    expect(ipOfRemote('[::1]:5000')).toBe('::1');
    expect(ipOfRemote('[fe80::1%eth0]:5000')).toBe('fe80::1%eth0');
    expect(ipOfRemote('[::ffff:10.1.2.3]:99')).toBe('10.1.2.3');
    expect(ipOfRemote('::1')).toBe('::1');
    expect(ipOfRemote(undefined)).toBe('unknown');
  });
});

describe('AuthBackoff', () => {
  it('blocks for the base time after a failure, doubles up to the cap, and clears on success', () => {
    const b = new AuthBackoff();
    expect(b.remaining(0)).toBe(0);
    expect(b.fail(0, 3000)).toBe(3000);
    expect(b.remaining(1000)).toBe(2000);
    expect(b.fail(3000, 3000)).toBe(6000);
    expect(b.fail(9000, 3000)).toBe(12_000);
    for (let i = 0; i < 20; i += 1) b.fail(0, 3000);
    expect(b.fail(0, 3000)).toBe(DEFAULT_AUTH_BACKOFF_MAX_MS);
    b.succeed();
    expect(b.remaining(1)).toBe(0);
    expect(b.fail(10, 3000)).toBe(3000);
    expect(new AuthBackoff().fail(0, 0)).toBe(0);
  });
});

describe('RejectRatio', () => {
  it('judges each round of min_shares and starts again', () => {
    const r = new RejectRatio();
    const s = { ratio: 0.5, minShares: 4 };
    expect([true, false, true].map((ok) => r.record(ok, s))).toEqual([null, null, null]);
    expect(r.record(true, s)).toBeNull(); // 1 of 4 rejected
    expect([false, false, true].map((ok) => r.record(ok, s))).toEqual([null, null, null]);
    expect(r.record(false, s)).toBe(0.75);
    expect(r.record(false, { ratio: 0, minShares: 1 })).toBeNull();
  });
});

describe('workerNameProblem', () => {
  it('accepts real worker names and refuses blank, huge and control-character ones', () => {
    expect(workerNameProblem('bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh.nerd01')).toBeNull();
    expect(workerNameProblem('rack1.bitaxe-07')).toBeNull();
    expect(workerNameProblem('')).toMatch(/empty/);
    expect(workerNameProblem('   ')).toMatch(/empty/);
    expect(workerNameProblem('x'.repeat(MAX_WORKER_NAME_LENGTH + 1))).toMatch(/longer/);
    expect(workerNameProblem('a\nb')).toMatch(/control/);
  });
});
