import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { LineConnection } from '../../runtime/line-connection.js';
import type { LineTransport } from '../../runtime/line-transport.js';
import { DEFAULT_POOL_LINE_CAP } from '../../stratum/index.js';
import type { UpstreamEndpoint } from '../core/index.js';

/**
 * TCP or TLS to the pool, directly or through the endpoint's SOCKS5 proxy (TLS then runs inside
 * the proxied connection, end to end with the pool); resolves when connected (and the TLS
 * handshake is done).
 */
export async function dialEndpoint(endpoint: UpstreamEndpoint, extraCa?: string | Buffer): Promise<Duplex> {
  // The SOCKS client (and its library) loads only for an endpoint that uses one.
  const tunnel = endpoint.socks
    ? await (await import('./socks-dial.js')).dialSocks(endpoint.socks, endpoint.host, endpoint.port)
    : undefined;
  if (tunnel && !endpoint.tls) return tuned(tunnel);
  return new Promise((resolve, reject) => {
    const socket = endpoint.tls
      ? tls.connect({
          host: endpoint.host,
          port: endpoint.port,
          ...(tunnel ? { socket: tunnel } : {}),
          servername: net.isIP(endpoint.host) ? undefined : endpoint.host,
          rejectUnauthorized: !endpoint.insecureSkipVerify,
          ...(extraCa ? { ca: extraCa } : {}),
        })
      : net.connect({ host: endpoint.host, port: endpoint.port });
    const onError = (err: Error): void => {
      socket.destroy();
      tunnel?.destroy();
      reject(err);
    };
    socket.once('error', onError);
    socket.once(endpoint.tls ? 'secureConnect' : 'connect', () => {
      socket.off('error', onError);
      resolve(tuned(socket, tunnel));
    });
  });
}

/** No Nagle delay for shares; keepalive probes so a silently dead path is noticed. */
function tuned<T extends net.Socket>(socket: T, under?: net.Socket): T {
  (under ?? socket).setNoDelay(true);
  (under ?? socket).setKeepAlive(true, 30_000);
  return socket;
}

/** A dialled stream as the core's line transport, lines bounded at the pool line cap. */
export function poolTransport(stream: Duplex, lineCap = DEFAULT_POOL_LINE_CAP): LineTransport {
  return new LineConnection(stream, { lineCap });
}
