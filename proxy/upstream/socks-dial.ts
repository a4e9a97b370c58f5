import type { Socket } from 'node:net';
import { SocksClient } from 'socks';
import type { UpstreamEndpoint } from '../core/index.js';

export type SocksProxy = NonNullable<UpstreamEndpoint['socks']>;

/** How long the SOCKS proxy may take to reach the pool (a Tor circuit can take a while). */
export const SOCKS_CONNECT_TIMEOUT_MS = 30_000;

/**
 * A TCP connection to `host:port` through a SOCKS5 proxy (RFC 1928; RFC 1929 username/password
 * when a username is set). A host name is passed to the proxy to resolve (as socks5h does), so
 * nothing is looked up locally: what Tor needs for .onion pools and to keep DNS off the local network.
 */
export async function dialSocks(
  proxy: SocksProxy,
  host: string,
  port: number,
  timeoutMs = SOCKS_CONNECT_TIMEOUT_MS,
): Promise<Socket> {
  try {
    const { socket } = await SocksClient.createConnection({
      command: 'connect',
      proxy: {
        host: proxy.host,
        port: proxy.port,
        type: 5,
        ...(proxy.username ? { userId: proxy.username, password: proxy.password ?? '' } : {}),
      },
      destination: { host, port },
      timeout: timeoutMs,
      set_tcp_nodelay: true,
    });
    return socket;
  } catch (err) {
    throw new Error(`SOCKS proxy ${label(proxy)}: ${explain((err as Error).message, proxy)}`, { cause: err });
  }
}

/** The SOCKS library's words turned into what an operator should check. */
function explain(message: string, proxy: SocksProxy): string {
  if (message.startsWith('Socks5 Authentication failed'))
    return `authentication failed for user ${JSON.stringify(proxy.username ?? '')} (wrong socks_proxy.username or password)`;
  if (message.includes('no accepted authentication type'))
    return proxy.username
      ? 'refused username/password authentication'
      : 'requires authentication (set socks_proxy.username and password)';
  if (message.startsWith('Socks5 proxy rejected connection'))
    return `could not reach the pool (${message.replace('Socks5 proxy rejected connection - ', '')})`;
  if (message === 'Proxy connection timed out') return 'timed out';
  return message;
}

function label(proxy: SocksProxy): string {
  return proxy.host.includes(':') ? `[${proxy.host}]:${proxy.port}` : `${proxy.host}:${proxy.port}`;
}
