import { BlockList } from 'node:net';
import { splitCidr } from '../config/cidr.js';

/**
 * `ratelimit.trusted`: the rack's own networks (CIDR ranges, IPv4 and IPv6), whose addresses are
 * exempt from the per-IP count and rate limits and from bans. Many miners behind one NAT address
 * on the LAN are then never refused or banned, while the limits still hold for everyone else.
 */
export class TrustedNetworks {
  private readonly list = new BlockList();
  readonly ranges: readonly string[];

  constructor(ranges: readonly string[] = []) {
    const kept: string[] = [];
    for (const text of ranges) {
      const cidr = splitCidr(text);
      if (cidr === null) continue; // the config refused it already; a library caller's typo trusts nothing
      this.list.addSubnet(cidr.address, cidr.prefix, cidr.family);
      kept.push(`${cidr.address}/${cidr.prefix}`);
    }
    this.ranges = kept;
  }

  /** Whether `ip` (as remote-ip.ts formats it: IPv4, or IPv6 without brackets) is in a trusted range. */
  has(ip: string): boolean {
    if (this.ranges.length === 0) return false;
    try {
      return this.list.check(ip, ip.includes(':') ? 'ipv6' : 'ipv4');
    } catch {
      return false; // not an address ('unknown' for a stream without one): never trusted
    }
  }
}
