import { expect } from 'vitest';
import { ConfigError, parseConfig } from '../index.js';

/** The smallest config that loads: an upstream and nothing else. */
export const minimal = () => ({ upstream: { host: 'pool.example.org', port: 3333 } });

/** The ConfigError parseConfig throws for `raw`; fails the test when it throws anything else or nothing. */
export function errorOf(raw: unknown): ConfigError {
  try {
    parseConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`expected parseConfig to throw for ${JSON.stringify(raw)}`);
}
