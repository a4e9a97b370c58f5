import { z } from 'zod';
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

/** The Go karoo's socks_proxy, accepted only when it asks for nothing. */
export function disabledSocksProxy() {
  const error = 'empty or absent (SOCKS proxies are not supported)';
  return z
    .unknown()
    .refine(
      (v) =>
        v === undefined ||
        v === null ||
        v === '' ||
        v === false ||
        (typeof v === 'object' && !Array.isArray(v) && (v as Record<string, unknown>).enabled === false),
      { error },
    )
    .optional();
}
