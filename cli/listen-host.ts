import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { formatStratumUrl } from '../peers/host-port.js';
import { UsageError } from '../runtime/usage-error.js';

/** An address to listen on (`0.0.0.0`, `::`, or one of this machine's); a usage error otherwise. */
export function listenHost(text: string, flag: string): string {
  const host = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) === 0) {
    throw new UsageError(
      `${flag}: expected an IP address to listen on (0.0.0.0 for every interface), got ${JSON.stringify(text)}`,
    );
  }
  return host;
}

/** stratum+tcp:// URLs of this machine's LAN addresses a miner can dial, for a listener on `host`. */
export function lanStratumUrls(host: string, port: number): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [formatStratumUrl({ host, port })];
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => formatStratumUrl({ host: a!.address, port }));
}
