import { writeFileSync } from 'node:fs';
import { UsageError } from '../runtime/usage-error.js';
import { formatHostPort, parseHostPort, parseStratumUrl, type HostPort } from '../peers/host-port.js';

/** Command-line values for the regression commands; every bad value is a one-line UsageError. */
export function hostPortFlag(text: string, flag: string): HostPort {
  const address = parseHostPort(text.trim());
  if (address === null) throw new UsageError(`${flag}: expected HOST:PORT, got ${JSON.stringify(text)}`);
  // `:PORT` listens on every interface.
  return address.host === '' ? { host: '0.0.0.0', port: address.port } : address;
}

export function urlFlag(text: string, flag: string): HostPort {
  const address = parseStratumUrl(text.trim());
  if (address === null) {
    throw new UsageError(
      `${flag}: expected stratum+tcp://HOST:PORT (port 1 to 65535), got ${JSON.stringify(text)}`,
    );
  }
  return address;
}

/** `http://HOST:PORT` (the pool simulator's HTTP API), a trailing slash allowed. */
export function httpUrlFlag(text: string, flag: string): string {
  const m = /^http:\/\/(.+?)\/?$/.exec(text.trim());
  const address = m === null ? null : parseHostPort(m[1] as string);
  if (address === null || address.host === '') {
    throw new UsageError(`${flag}: expected http://HOST:PORT, got ${JSON.stringify(text)}`);
  }
  return `http://${formatHostPort(address)}`;
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
