import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DIFFICULTY,
  DEFAULT_POOL_PORT,
  PoolOptionsError,
  defaultPoolOptions,
  parseHostPort,
  resolvePoolOptions,
} from './pool-options.js';

describe('pool options', () => {
  it('fills in defaults a laptop demo can use', () => {
    const o = resolvePoolOptions();
    expect(o).toEqual(defaultPoolOptions());
    expect(o).toMatchObject({ host: '127.0.0.1', port: DEFAULT_POOL_PORT, difficulty: DEFAULT_DIFFICULTY });
    // A single CPU core hashing at 150-300k H/s finds a share at this difficulty every few seconds.
    const hashesPerShare = o.difficulty * 2 ** 32;
    expect(hashesPerShare / 300_000).toBeLessThan(3);
    expect(o.difficulty).toBeLessThan(1);
  });

  it('names the key and what it expected when a value is wrong', () => {
    expect(() => resolvePoolOptions({ extranonce2Size: 9 })).toThrow(/extranonce2Size: .*<=8.*got 9/);
    expect(() => resolvePoolOptions({ difficulty: -1 })).toThrow(PoolOptionsError);
    expect(() => resolvePoolOptions({ difficulty: -1 })).toThrow(/^difficulty: /);
    expect(() => resolvePoolOptions({ nbits: 'xyz' })).toThrow(/nbits: expected 8 hex characters, got "xyz"/);
    expect(() => resolvePoolOptions({ minDifficulty: 2, maxDifficulty: 1 })).toThrow(/minDifficulty/);
    expect(() => resolvePoolOptions({ faults: [{ action: 'nope' } as never] })).toThrow(
      /faults\[0\]\.action/,
    );
  });

  it('ignores undefined entries and lowercases hex', () => {
    expect(resolvePoolOptions({ difficulty: undefined, nbits: '1703ABCD' })).toMatchObject({
      difficulty: DEFAULT_DIFFICULTY,
      nbits: '1703abcd',
    });
  });

  it('parses HOST:PORT, [v6]:PORT and :PORT', () => {
    expect(parseHostPort('0.0.0.0:3334')).toEqual({ host: '0.0.0.0', port: 3334 });
    expect(parseHostPort('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseHostPort(':4000')).toEqual({ host: '127.0.0.1', port: 4000 });
    expect(() => parseHostPort('localhost')).toThrow(/listen: expected HOST:PORT/);
    expect(() => parseHostPort('h:70000', '--http')).toThrow(/^--http: /);
  });

  it("starts from the profile's defaults, which explicit options override", () => {
    expect(resolvePoolOptions({ profile: 'public-pool' })).toMatchObject({
      profile: 'public-pool',
      difficulty: 16384,
      extranonce1Size: 4,
      extranonce2Size: 4,
      jobIntervalSeconds: 60,
      versionMask: 0x1fffe000,
      idleTimeoutSeconds: 300,
      subscribeTimeoutSeconds: 0,
    });
    expect(resolvePoolOptions({ profile: 'ckpool' })).toMatchObject({
      difficulty: 42,
      minDifficulty: 1,
      extranonce2Size: 8,
      jobIntervalSeconds: 30,
    });
    expect(resolvePoolOptions({ profile: 'public-pool', difficulty: 0.001 }).difficulty).toBe(0.001);
    expect(resolvePoolOptions({ profile: 'default' })).toEqual(defaultPoolOptions());
    expect(() => resolvePoolOptions({ profile: 'nope' as never })).toThrow(/^profile: /);
  });

  it("encodes a network difficulty as the jobs' nbits, and refuses both", () => {
    expect(resolvePoolOptions({ networkDifficulty: 1 })).toMatchObject({
      networkDifficulty: 1,
      nbits: '1d00ffff',
    });
    expect(resolvePoolOptions().networkDifficulty).toBeUndefined();
    expect(() => resolvePoolOptions({ networkDifficulty: 0 })).toThrow(/^networkDifficulty: /);
    expect(() => resolvePoolOptions({ networkDifficulty: 1, nbits: '1d00ffff' })).toThrow(/not both/);
  });
});
