import type { UpstreamEndpoint } from './upstream-endpoint.js';

/** Where a pool's client.reconnect asks to go (either part may be missing: keep the current one). */
export interface ReconnectTarget {
  host?: string;
  port?: number;
  waitSeconds?: number;
}

export type ReconnectDecision =
  { follow: true; endpoint: UpstreamEndpoint; index: number | undefined } | { follow: false; reason: string };

/**
 * Whether to follow a pool's client.reconnect, and with which credentials. The upstream user and
 * password go only where the operator sent them: the same host (any port), a host of the same
 * domain (cgminer's rule in util.c parse_reconnect: the part after the first dot must match, e.g.
 * stratum.pool.example to eu.pool.example; stricter here, the shared part must itself hold a dot,
 * and IP addresses must match exactly), or another pool in the configured list (then with that
 * pool's own credentials). Anything else is refused and the session stays where it is.
 */
export function decideReconnect(
  current: UpstreamEndpoint,
  configured: readonly UpstreamEndpoint[],
  target: ReconnectTarget,
): ReconnectDecision {
  const host = target.host ?? current.host;
  const port = target.port ?? current.port;
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    return { follow: false, reason: `port ${port} is not a TCP port` };
  const listed = configured.findIndex((e) => sameHost(e.host, host) && e.port === port);
  if (listed >= 0) return { follow: true, endpoint: configured[listed] as UpstreamEndpoint, index: listed };
  if (sameHost(host, current.host) || sameDomain(host, current.host))
    return { follow: true, endpoint: { ...current, host, port }, index: undefined };
  return {
    follow: false,
    reason: `${host} is neither ${current.host}, a host of its domain, nor a configured pool`,
  };
}

function sameHost(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** An IPv4 or IPv6 literal (no domain to share). */
function isAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

function sameDomain(a: string, b: string): boolean {
  if (isAddress(a) || isAddress(b)) return false;
  const parent = (h: string): string => h.toLowerCase().slice(h.indexOf('.') + 1);
  if (a.indexOf('.') < 0 || b.indexOf('.') < 0) return false;
  const pa = parent(a);
  return pa === parent(b) && pa.includes('.');
}
