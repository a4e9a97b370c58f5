import net from 'node:net';
import type { Duplex } from 'node:stream';

export interface StreamSink {
  accept(stream: Duplex, remoteAddress?: string): unknown;
}

export interface Listening {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** Plain TCP miners: each socket handed to the proxy core. */
export function listenTcp(sink: StreamSink, host: string, port: number): Promise<Listening> {
  const server = net.createServer({ noDelay: true }, (socket) => {
    socket.setKeepAlive(true, 60_000);
    sink.accept(socket, formatRemote(socket.remoteAddress, socket.remotePort));
  });
  return listenOn(server, host, port);
}

/**
 * Connections the system may hold for a listener before it accepts them. Node's default is 511; a
 * rack reconnecting at once (a pool outage ending, a proxy restart) overflows that while the event
 * loop is busy, and the system then drops or resets the late ones. ckpool's connector listens with
 * 8192 (src/connector.c). The system caps it at net.core.somaxconn.
 */
export const LISTEN_BACKLOG = 8192;

export function listenOn(server: net.Server, host: string, port: number): Promise<Listening> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      const addr = server.address() as net.AddressInfo;
      resolve({
        host: addr.address,
        port: addr.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            (server as net.Server & { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
  });
}

export function formatRemote(address: string | undefined, port: number | undefined): string {
  if (!address) return 'unknown';
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
