/** Where to listen or connect. */
export interface HostPort {
  host: string;
  port: number;
}

/** A bracketed IPv6 address: hex groups, colons, an embedded IPv4 tail, an optional %zone. */
const IPV6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?$/;
/** An unbracketed host: anything but colons, slashes, brackets and white space (may be empty). */
const PLAIN_HOST = /^[^:/\s[\]]*$/;
const PORT = /^\d{1,5}$/;

/**
 * The one `host:port` parser: `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (host ''), port 0 to 65535.
 * Null when the text is not one. What an empty host means (every interface, loopback) and which
 * hosts are allowed is the caller's: it is only split here, brackets removed.
 */
export function parseHostPort(text: string): HostPort | null {
  let host: string;
  let portText: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1 || text[close + 1] !== ':') return null;
    host = text.slice(1, close);
    portText = text.slice(close + 2);
    if (!IPV6.test(host)) return null;
  } else {
    const colon = text.lastIndexOf(':');
    if (colon === -1) return null;
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (!PLAIN_HOST.test(host)) return null; // a bare IPv6 address must be bracketed
  }
  if (!PORT.test(portText)) return null;
  const port = Number(portText);
  return port > 65535 ? null : { host, port };
}

/** `stratum+tcp://HOST:PORT` (a trailing slash allowed; a host and a port from 1 required), or null. */
export function parseStratumUrl(text: string): HostPort | null {
  const m = /^stratum\+tcp:\/\/(.+?)\/?$/.exec(text);
  const address = m === null ? null : parseHostPort(m[1] as string);
  return address === null || address.host === '' || address.port === 0 ? null : address;
}

/** The inverse of parseHostPort: IPv6 hosts are bracketed. */
export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function formatStratumUrl(address: HostPort): string {
  return `stratum+tcp://${formatHostPort(address)}`;
}
