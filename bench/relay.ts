import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Relay {
  port: number;
  /** Connections relayed so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export interface RelayTarget {
  host: string;
  port: number;
}

/**
 * The baseline for "what does a hop cost": a plain TCP relay, bytes piped both ways with no
 * parsing, Nagle off on both legs (as Karoo's own sockets). Closing either side closes the other.
 */
export function startRelay(target: RelayTarget, listenHost = '127.0.0.1'): Promise<Relay> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const track = (s: net.Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const server = net.createServer({ noDelay: true }, (client) => {
    connections += 1;
    const upstream = net.connect({ host: target.host, port: target.port, noDelay: true });
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: listenHost, port: 0 }, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        get connections() {
          return connections;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
