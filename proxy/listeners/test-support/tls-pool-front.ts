import net from 'node:net';
import tls from 'node:tls';
import type { TestCertificate } from './self-signed-cert.js';

/**
 * A pool that speaks stratum+ssl: a TLS server on 127.0.0.1 in front of a plain pool, each TLS
 * connection piped to its own plain one. `onTeardown` gets what closes it (a fixture's).
 */
export async function tlsPoolFront(
  poolPort: number,
  cert: TestCertificate,
  onTeardown: (close: () => Promise<void>) => void,
): Promise<{ port: number; handshakes: () => number }> {
  let count = 0;
  const open = new Set<net.Socket>();
  const server = tls.createServer({ cert: cert.cert, key: cert.key }, (secure) => {
    count += 1;
    const plain = net.connect({ host: '127.0.0.1', port: poolPort });
    open.add(secure).add(plain);
    secure.pipe(plain).pipe(secure);
    const end = (): void => {
      secure.destroy();
      plain.destroy();
    };
    secure.on('error', end).on('close', end);
    plain.on('error', end).on('close', end);
  });
  onTeardown(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, handshakes: () => count };
}
