/** A listen address split into the parts `net.Server.listen` takes. */
export interface HostPort {
  host: string;
  port: number;
}

/** `:3334` binds every IPv4 interface, like Go's `net.Listen`. */
export const ANY_HOST = '0.0.0.0';

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62})?)*\.?$/;
const IPV6 = /^[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?$/;

/**
 * Parses `HOST:PORT`, `:PORT` (all interfaces) and `[IPv6]:PORT`. Port 0 is allowed (the OS picks
 * one; tests use it). Returns null when the text is not such an address.
 */
export function parseHostPort(text: string): HostPort | null {
  let host: string;
  let portText: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1 || text[close + 1] !== ':') return null;
    host = text.slice(1, close);
    portText = text.slice(close + 2);
    if (!host.includes(':') || !IPV6.test(host)) return null;
  } else {
    const colon = text.lastIndexOf(':');
    if (colon === -1) return null;
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host.includes(':')) return null; // bare IPv6 must be bracketed
    if (host === '') host = ANY_HOST;
    else if (!HOST_NAME.test(host)) return null;
  }
  if (!/^\d{1,5}$/.test(portText)) return null;
  const port = Number(portText);
  if (port > 65535) return null;
  return { host, port };
}

/** The inverse of parseHostPort (IPv6 hosts are bracketed). */
export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A pool host: a DNS name, an IPv4 address or an unbracketed IPv6 address. */
export function isHostName(text: string): boolean {
  return (
    text.length > 0 && text.length <= 253 && (HOST_NAME.test(text) || (text.includes(':') && IPV6.test(text)))
  );
}
