import { z } from 'zod';
import { parseCidr } from './cidr.js';
import * as d from './defaults.js';
import { isHostName, parseHostPort } from './host-port.js';

/**
 * Leaf schemas whose every failure carries the same message: the "expected ..." half of a
 * ConfigError. The key path and the bad value are added when the issue is formatted.
 */

export function intIn(min: number, max: number): z.ZodInt {
  const error = `an integer from ${min} to ${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

export function numberIn(min: number, max: number, { minExclusive = false } = {}): z.ZodNumber {
  const error = minExclusive ? `a number above ${min} and at most ${max}` : `a number from ${min} to ${max}`;
  const base = z.number({ error });
  return (minExclusive ? base.gt(min, { error }) : base.gte(min, { error })).lte(max, { error });
}

/** upstream.suggest_difficulty: "auto", "off", or a share difficulty above 0. */
export function suggestDifficulty() {
  const error = '"auto", "off", or a number above 0 and at most 1e15';
  return z.union(
    [z.enum(['auto', 'off'], { error }), z.number({ error }).gt(0, { error }).lte(1e15, { error })],
    {
      error,
    },
  );
}

export function bool(): z.ZodBoolean {
  return z.boolean({ error: 'true or false' });
}

export function text(): z.ZodString {
  return z.string({ error: 'a string' });
}

export function hostName(): z.ZodString {
  const error = 'a host name or IP address';
  return z.string({ error }).refine(isHostName, { error });
}

const LISTEN_EXPECTED = 'an address "HOST:PORT" (like ":3334", "127.0.0.1:3334" or "[::1]:3334")';

export function listenAddress({ allowEmpty = false } = {}): z.ZodString {
  const error = allowEmpty ? `${LISTEN_EXPECTED} or "" to disable` : LISTEN_EXPECTED;
  return z.string({ error }).refine((s) => (allowEmpty && s === '') || parseHostPort(s) !== null, { error });
}

export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
): z.ZodEnum<{ [K in T[number]]: K }> {
  const error = `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return z.enum(values, { error });
}

/** A nested section: unknown keys rejected, missing section means "all defaults". */
export function section<S extends z.ZodRawShape>(shape: S) {
  const schema = z.strictObject(shape, { error: 'an object' });
  // Every key of a section has a default, so {} is a valid input; TS cannot see that for a generic S.
  return schema.prefault({} as z.input<typeof schema>);
}

/**
 * The Go karoo's socks_proxy: `{ enabled, type, host, port, username, password }`. Absent, `null`,
 * `""` and `false` mean none, as does `enabled: false` (whatever else the object holds, as in Go).
 * What an enabled one must hold (type socks5, a host, a port) is checked in build-config.
 */
export function socksProxy() {
  const error = 'an object { "enabled", "type": "socks5", "host", "port", "username", "password" } or empty';
  const shape = z.strictObject(
    {
      enabled: bool().default(false),
      type: text().default('socks5'),
      host: text().default(''),
      port: intIn(0, 65535).default(d.DEFAULT_SOCKS_PORT),
      username: text().default(''),
      password: text().default(''),
    },
    { error },
  );
  return z.preprocess((v) => (v === null || v === '' || v === false ? undefined : v), shape.optional());
}

/** A CIDR range (`192.168.1.0/24`, `fd00::/8`) or one address; normalised to `ADDRESS/PREFIX`. */
export function cidr() {
  const error = 'a CIDR range like "192.168.1.0/24" or "fd00::/8", or one IP address';
  return z.string({ error }).transform((s, ctx) => {
    const parsed = parseCidr(s);
    if (parsed === null) {
      ctx.issues.push({ code: 'custom', message: error, input: s });
      return z.NEVER;
    }
    return parsed;
  });
}
