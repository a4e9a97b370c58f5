import { parseHostPort as splitHostPort, type HostPort } from '../../peers/host-port.js';

/** A listen address split into the parts `net.Server.listen` takes. */
export type { HostPort } from '../../peers/host-port.js';
export { formatHostPort } from '../../peers/host-port.js';

/** `:3334` binds every IPv4 interface, like Go's `net.Listen`. */
export const ANY_HOST = '0.0.0.0';

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62})?)*\.?$/;
const IPV6 = /^[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?$/;

/**
 * Parses `HOST:PORT`, `:PORT` (all interfaces) and `[IPv6]:PORT` with peers/host-port.ts, then
 * holds the host to a DNS name or an address. Port 0 is allowed (the OS picks one; tests use it).
 * Returns null when the text is not such an address.
 */
export function parseHostPort(text: string): HostPort | null {
  const address = splitHostPort(text);
  if (address === null) return null;
  if (address.host === '') return { host: ANY_HOST, port: address.port };
  return address.host.includes(':') || HOST_NAME.test(address.host) ? address : null;
}

/** A pool host: a DNS name, an IPv4 address or an unbracketed IPv6 address. */
export function isHostName(text: string): boolean {
  return (
    text.length > 0 && text.length <= 253 && (HOST_NAME.test(text) || (text.includes(':') && IPV6.test(text)))
  );
}
