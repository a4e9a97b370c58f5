import { parseHostPort } from '../peers/host-port.js';
import { UsageError } from '../runtime/usage-error.js';

/** Where the proxy's HTTP API listens by default (its own http.listen default). */
export const DEFAULT_DASH_URL = 'http://127.0.0.1:8080';
/** Seconds between plain-text tables when stdout is not a terminal. */
export const DEFAULT_PLAIN_INTERVAL_S = 5;
/** Seconds between /status refreshes while /events streams. */
export const DEFAULT_REFRESH_S = 5;
/** The token is read from here when --token is not given (keeps it out of `ps`). */
export const TOKEN_ENV = 'KAROO_HTTP_TOKEN';

export interface DashOptions {
  /** The proxy's HTTP base URL. */
  base: URL;
  token: string | null;
  /** Plain-text tables instead of the full-screen dashboard (forced when stdout is not a TTY). */
  plain: boolean;
  /** Print one plain table and exit. */
  once: boolean;
  intervalMs: number;
  refreshMs: number;
}

export interface RawDashOptions {
  url?: string;
  token?: string;
  plain?: boolean;
  once?: boolean;
  interval?: string;
  refresh?: string;
}

/** Command-line values to DashOptions; throws UsageError naming the bad option. */
export function parseDashOptions(
  raw: RawDashOptions,
  env: NodeJS.ProcessEnv = process.env,
  isTty = Boolean(process.stdout.isTTY),
): DashOptions {
  const once = raw.once === true;
  return {
    base: parseBaseUrl(raw.url ?? DEFAULT_DASH_URL),
    token: raw.token ?? (env[TOKEN_ENV] || null),
    once,
    plain: once || raw.plain === true || !isTty,
    intervalMs: seconds('--interval', raw.interval, DEFAULT_PLAIN_INTERVAL_S),
    refreshMs: seconds('--refresh', raw.refresh, DEFAULT_REFRESH_S),
  };
}

/**
 * http(s)://HOST[:PORT], or HOST:PORT meaning http://; any path is dropped. Text without a scheme
 * must name a port, so a stray word is a usage error rather than a DNS lookup.
 */
export function parseBaseUrl(text: string): URL {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  if (!hasScheme && !isSchemeless(text)) {
    throw new UsageError(`--url: expected http://HOST:PORT or HOST:PORT, got ${JSON.stringify(text)}`);
  }
  const withScheme = hasScheme ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`--url: expected http://HOST:PORT, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--url: expected an http:// or https:// URL, got ${JSON.stringify(text)}`);
  }
  return new URL(url.origin);
}

function seconds(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback * 1000;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0.1 || n > 3600) {
    throw new UsageError(`${name}: expected seconds from 0.1 to 3600, got ${JSON.stringify(value)}`);
  }
  return Math.round(n * 1000);
}

/** Host names as a URL carries them: a DNS name or IPv4 (IPv6 comes bracketed). */
const DNS_HOST = /^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/i;

/** HOST:PORT (peers/host-port.ts), a path allowed after it. */
function isSchemeless(text: string): boolean {
  const address = parseHostPort(text.replace(/\/.*$/, ''));
  return address !== null && (address.host.includes(':') || DNS_HOST.test(address.host));
}
