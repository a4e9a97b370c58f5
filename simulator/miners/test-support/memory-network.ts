import { formatHostPort } from '../../../peers/host-port.js';
import type { LineTransport } from '../../../runtime/line-transport.js';
import { linePair } from '../../../runtime/test-support/in-memory-line-pair.js';
import { DEFAULT_MINER_LINE_CAP, DEFAULT_POOL_LINE_CAP } from '../../../stratum/line-framer.js';
import type { PoolAddress } from '../options.js';
import type { PoolDialer } from '../pool-link.js';

/** A connect error shaped like Node's, so miners report it as they would a refused TCP connect. */
class ConnectRefusedError extends Error {
  readonly code = 'ECONNREFUSED';
  constructor(address: string) {
    super(`connect ECONNREFUSED ${address}`);
    this.name = 'ConnectRefusedError';
  }
}

/**
 * Pools listening at made-up addresses, reached through in-memory line pairs: what a miner's
 * `dial` option takes in unit tests. A dial to an address nobody listens on is refused.
 */
export class MemoryNetwork {
  private readonly listeners = new Map<string, (transport: LineTransport) => void>();
  private nextPort = 3333;
  /** Every address dialled, in order. */
  readonly dials: string[] = [];

  /** Listens on `host`:(the next free port); returns the address. */
  listen(accept: (transport: LineTransport) => void, host = 'pool.test'): PoolAddress {
    const address = { host, port: this.nextPort };
    this.nextPort += 1;
    this.listeners.set(key(address), accept);
    return address;
  }

  /** Stops accepting at `address` (connections already open stay open). */
  unlisten(address: PoolAddress): void {
    this.listeners.delete(key(address));
  }

  readonly dial: PoolDialer = (target) => {
    const address = key(target);
    this.dials.push(address);
    const accept = this.listeners.get(address);
    if (accept === undefined) return Promise.reject(new ConnectRefusedError(address));
    const [miner, pool] = linePair(
      { lineCap: DEFAULT_POOL_LINE_CAP, remoteAddress: address },
      { lineCap: DEFAULT_MINER_LINE_CAP, remoteAddress: `miner-${this.dials.length}` },
    );
    accept(pool);
    return Promise.resolve({
      transport: miner,
      destroy: () => {
        miner.destroy();
        return Promise.resolve();
      },
    });
  };
}

function key(address: PoolAddress): string {
  return formatHostPort(address);
}
