import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { UpstreamEndpoint } from './upstream-endpoint.js';

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
