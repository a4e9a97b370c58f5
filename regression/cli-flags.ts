import { writeFileSync } from 'node:fs';
import { UsageError } from '../runtime/usage-error.js';
import type { HostPort } from './net/address.js';
import { AddressError, parseHostPort, parseStratumUrl } from './net/address.js';

/** Command-line values for the regression commands; every bad value is a one-line UsageError. */
export function hostPortFlag(text: string, flag: string): HostPort {
  try {
    return parseHostPort(text, flag);
  } catch (err) {
    if (err instanceof AddressError) throw new UsageError(err.message);
    throw err;
  }
}

export function urlFlag(text: string, flag: string): HostPort {
  try {
    return parseStratumUrl(text, flag);
  } catch (err) {
    if (err instanceof AddressError) throw new UsageError(err.message);
    throw err;
  }
}

/** `http://HOST:PORT` (the pool simulator's HTTP API), a trailing slash allowed. */
export function httpUrlFlag(text: string, flag: string): string {
  const m = /^(http:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5})\/?$/.exec(text.trim());
  if (m === null) throw new UsageError(`${flag}: expected http://HOST:PORT, got ${JSON.stringify(text)}`);
  return m[1] as string;
}

export function numberFlag(text: string | undefined, flag: string, fallback: number, min = 0): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min) {
    throw new UsageError(`${flag}: expected a number >= ${min}, got ${JSON.stringify(text)}`);
  }
  return n;
}

export function integerFlag(text: string | undefined, flag: string, fallback: number, min = 0): number {
  const n = numberFlag(text, flag, fallback, min);
  if (!Number.isInteger(n))
    throw new UsageError(`${flag}: expected a whole number, got ${JSON.stringify(text)}`);
  return n;
}

/** Writes a report file; a path that cannot be written is a UsageError naming it. */
export function writeReport(path: string, content: string, flag: string): void {
  try {
    writeFileSync(path, content);
  } catch (err) {
    throw new UsageError(
      `${flag} ${path}: cannot write (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
}
