import { isIP } from 'node:net';

/** A network as `ratelimit.trusted` holds it: an address and how many leading bits count. */
export interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/**
 * Parses `192.168.1.0/24`, `fd00::/8` or one address (`10.0.0.7` = `/32`, `::1` = `/128`) into
 * `ADDRESS/PREFIX`; null when the text is not one. Host bits may be set (`10.1.2.3/8` is `10.0.0.0/8`).
 */
export function parseCidr(text: string): string | null {
  const parsed = splitCidr(text);
  return parsed === null ? null : `${parsed.address}/${parsed.prefix}`;
}

/** The parts of a CIDR text, or null when it is not one. */
export function splitCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const address = (slash === -1 ? text : text.slice(0, slash)).trim().toLowerCase();
  const version = address.includes('%') ? 0 : isIP(address);
  if (version === 0) return null;
  const bits = version === 4 ? 32 : 128;
  let prefix = bits;
  if (slash !== -1) {
    const prefixText = text.slice(slash + 1).trim();
    if (!/^\d{1,3}$/.test(prefixText)) return null;
    prefix = Number(prefixText);
    if (prefix > bits) return null;
  }
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}
