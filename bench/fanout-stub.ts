import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FanoutStub {
  port: number;
  /** Sessions that have had their handshake answered and are open. */
  readonly sessions: number;
  /** Writes one job line to every session; returns how long the loop took (ms). */
  broadcast(): number;
  close(): Promise<void>;
}

/** The longest handshake a session may send before it is answered (two short lines). */
const MAX_HANDSHAKE_BYTES = 4096;

/** A mining.notify of the same shape and size as the bench pool's (a coinbase, 12 branches). */
export function stubNotifyLine(jobId: number): string {
  const hex = (bytes: number, fill: string): string => fill.repeat(bytes * 2);
  const branches = Array.from({ length: 12 }, (_, i) => hex(32, (i % 10).toString()));
  const params = [
    jobId.toString(16),
    hex(32, 'a'),
    hex(60, 'b'),
    hex(40, 'c'),
    branches,
    '20000000',
    '1d00ffff',
    '5f5e1000',
    true,
  ];
  return `${JSON.stringify({ id: null, method: 'mining.notify', params })}\n`;
}

/**
 * The floor under "one notify to every session" for a Node process on this machine: a Stratum
 * stub that answers each session's subscribe and authorize with canned lines and a first job,
 * and then writes one Buffer to every socket in a plain loop. No parsing, no books, no vardiff:
 * what is left is the socket write per session that any Node server pays.
 */
export function startFanoutStub(listenHost = '127.0.0.1'): Promise<FanoutStub> {
  const ready = new Set<net.Socket>();
  const all = new Set<net.Socket>();
  let jobId = 0;
  const server = net.createServer({ noDelay: true }, (socket) => {
    all.add(socket);
    let seen = 0;
    let newlines = 0;
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      for (const byte of chunk) if (byte === 0x0a) newlines += 1;
      if (newlines >= 2) {
        socket.off('data', onData);
        // Answered once; anything it sends later is read and dropped.
        socket.resume();
        socket.write(
          '{"id":1,"result":[[["mining.notify","1"]],"00000000",4],"error":null}\n' +
            '{"id":2,"result":true,"error":null}\n' +
            stubNotifyLine(jobId),
        );
        ready.add(socket);
      } else if (seen > MAX_HANDSHAKE_BYTES) socket.destroy();
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      all.delete(socket);
      ready.delete(socket);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: listenHost, port: 0, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        get sessions() {
          return ready.size;
        },
        broadcast(): number {
          jobId += 1;
          const line = Buffer.from(stubNotifyLine(jobId));
          const start = performance.now();
          for (const s of ready) s.write(line);
          return performance.now() - start;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const s of all) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
