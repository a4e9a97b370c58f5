import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { LineConnection } from '../runtime/line-connection.js';
import type { LineTransport } from '../runtime/line-transport.js';
import { DEFAULT_MINER_LINE_CAP } from '../stratum/line-framer.js';
import { BIP320_MASK } from '../stratum/version-rolling.js';
import { formatStratumUrl, type HostPort } from './host-port.js';
import {
  DEFAULT_POOL_KEEP,
  PoolConnection,
  type OtherRequest,
  type PoolSettings,
} from './pool-connection.js';
import { methodNotFound, type PoolHandlers } from './pool-handlers.js';
import { PoolJobs } from './pool-jobs.js';

export interface ScriptedPoolOptions {
  /** 0.0001 unless given. */
  difficulty?: number;
  extranonce2Size?: number;
  /** Mask the pool grants (intersected with the miner's); BIP320's 1fffe000 by default. */
  versionMask?: number;
  /** Handlers that replace the default script's, per method. */
  handlers?: PoolHandlers;
  /** For a method no handler names; "method not found" by default. */
  otherwise?: (request: OtherRequest, conn: PoolConnection) => void;
  /** Jobs from a fixed seed and a fixed ntime (for recorded fixtures). */
  deterministic?: boolean;
  /** Longest line accepted from a miner. */
  lineCap?: number;
  /** Lines and shares each connection keeps. */
  keep?: number;
}

/** Where a pool that is not on TCP listens: an in-memory network, say. */
export interface PoolListener {
  listen(accept: (transport: LineTransport) => void): HostPort;
  unlisten(address: HostPort): void;
}

/**
 * The one scriptable Stratum pool of the tests: on 127.0.0.1 port 0 (or any listener), a handler
 * per method (a small honest pool that judges shares by default), notifications to one miner or
 * all, and every line each miner sent, recorded.
 */
export class ScriptedPool extends EventEmitter<{ connection: [PoolConnection] }> {
  readonly connections: PoolConnection[] = [];
  private readonly settings: PoolSettings;
  private readonly lineCap: number;
  private address: HostPort = { host: '127.0.0.1', port: 0 };
  private server: Server | undefined;
  private listener: PoolListener | undefined;

  private constructor(options: ScriptedPoolOptions) {
    super();
    this.lineCap = options.lineCap ?? DEFAULT_MINER_LINE_CAP;
    this.settings = {
      difficulty: options.difficulty ?? 0.0001,
      extranonce2Size: options.extranonce2Size ?? 4,
      versionMask: options.versionMask ?? BIP320_MASK,
      handlers: options.handlers ?? {},
      otherwise: options.otherwise ?? methodNotFound,
      jobs: new PoolJobs(options.deterministic ?? false),
      keep: options.keep ?? DEFAULT_POOL_KEEP,
    };
  }

  /** A pool on 127.0.0.1, on a port the system picks. */
  static async start(options: ScriptedPoolOptions = {}): Promise<ScriptedPool> {
    const pool = new ScriptedPool(options);
    const server = createServer((socket) =>
      pool.accept(new LineConnection(socket, { lineCap: pool.lineCap })),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    pool.server = server;
    pool.address = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
    return pool;
  }

  /** A pool reached through `listener` (miners dial the address it gives). */
  static listenOn(listener: PoolListener, options: ScriptedPoolOptions = {}): ScriptedPool {
    const pool = new ScriptedPool(options);
    pool.listener = listener;
    pool.address = listener.listen((transport) => pool.accept(transport));
    return pool;
  }

  /** Serves one more connection, whatever carries it. */
  accept(transport: LineTransport): PoolConnection {
    const conn = new PoolConnection(transport, this.settings, this.connections.length);
    this.connections.push(conn);
    this.emit('connection', conn);
    return conn;
  }

  get host(): string {
    return this.address.host;
  }

  get port(): number {
    return this.address.port;
  }

  get url(): string {
    return formatStratumUrl(this.address);
  }

  /** Every line connection `index` has sent, in order. */
  linesOf(index: number): string[] {
    return this.connections[index]?.lines ?? [];
  }

  /** A fresh job (a new block when `cleanJobs`) to every open connection that has work. */
  newJob(cleanJobs = false): void {
    const job = this.settings.jobs.next(cleanJobs);
    for (const c of this.connections) if (c.working && !c.closed) c.sendJob(job);
  }

  /** A notification to every open connection. */
  notifyAll(method: string, params: unknown[]): void {
    for (const c of this.connections) if (!c.closed) c.request(method, params);
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.close();
    if (this.listener !== undefined) this.listener.unlisten(this.address);
    const server = this.server;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
