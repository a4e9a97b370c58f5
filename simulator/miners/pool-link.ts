import { connect } from 'node:net';
import { LineConnection } from '../../runtime/line-connection.js';
import type { LineTransport } from '../../runtime/line-transport.js';
import { DEFAULT_POOL_LINE_CAP } from '../../stratum/line-framer.js';
import type { PoolAddress } from './options.js';

/** One open connection from a miner session to its pool. */
export interface PoolLink {
  /** Lines both ways: bounded framing in, a bounded queue out. */
  readonly transport: LineTransport;
  /** Drops the connection at once and resolves when nothing of it is left open. */
  destroy(): Promise<void>;
}

/**
 * How a session reaches its pool: resolves with the open link, or rejects with the connect error
 * (its message, e.g. `connect ECONNREFUSED 127.0.0.1:3333`, is what the miner reports). TCP by
 * default; tests pass an in-memory one.
 */
export type PoolDialer = (target: PoolAddress) => Promise<PoolLink>;

/** A TCP connection with Nagle off, as the firmware's lwIP and cpuminer's curl sockets behave. */
export const tcpDialer: PoolDialer = (target) =>
  new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port });
    socket.setNoDelay(true);
    const onError = (err: Error): void => {
      socket.destroy();
      reject(err);
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve({
        transport: new LineConnection(socket, { lineCap: DEFAULT_POOL_LINE_CAP }),
        destroy: () =>
          new Promise<void>((done) => {
            if (socket.destroyed) {
              done();
              return;
            }
            socket.once('close', () => done());
            socket.destroy();
          }),
      });
    });
  });
