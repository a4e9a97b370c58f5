import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { LineConnection } from '../../runtime/line-connection.js';
import type { LineTransport } from '../../runtime/line-transport.js';
import { DEFAULT_POOL_LINE_CAP } from '../../stratum/index.js';
import type { UpstreamEndpoint } from '../core/index.js';

/** TCP or TLS to the pool; resolves when connected (and the TLS handshake is done). */
export function dialEndpoint(endpoint: UpstreamEndpoint, extraCa?: string | Buffer): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = endpoint.tls
      ? tls.connect({
          host: endpoint.host,
          port: endpoint.port,
          servername: net.isIP(endpoint.host) ? undefined : endpoint.host,
          rejectUnauthorized: !endpoint.insecureSkipVerify,
          ...(extraCa ? { ca: extraCa } : {}),
        })
      : net.connect({ host: endpoint.host, port: endpoint.port });
    const onError = (err: Error): void => {
      socket.destroy();
      reject(err);
    };
    socket.once('error', onError);
    socket.once(endpoint.tls ? 'secureConnect' : 'connect', () => {
      socket.off('error', onError);
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 30_000);
      resolve(socket);
    });
  });
}

/** A dialled stream as the core's line transport, lines bounded at the pool line cap. */
export function poolTransport(stream: Duplex, lineCap = DEFAULT_POOL_LINE_CAP): LineTransport {
  return new LineConnection(stream, { lineCap });
}
