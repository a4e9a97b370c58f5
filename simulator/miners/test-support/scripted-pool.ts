/**
 * A small, scriptable Stratum pool for the miner tests: it records every byte a miner sends,
 * answers the handshake, hands out jobs and judges shares with the protocol core's checkShare
 * (real sha256d). Tests drive it: send a clean job, change the difficulty, send client.reconnect.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { LineConnection } from '../../../runtime/line-connection.js';
import type { LineTransport } from '../../../runtime/line-transport.js';
import { StratumError } from '../../../stratum/errors.js';
import { DEFAULT_MINER_LINE_CAP } from '../../../stratum/line-framer.js';
import { encodeError, encodeResult } from '../../../stratum/message-encoder.js';
import { parseMessage } from '../../../stratum/message-parser.js';
import type { JobParams } from '../../../stratum/messages.js';
import { SeenShares, checkShare } from '../../../stratum/share-check.js';
import { prepareJob, type PreparedJob } from '../../../stratum/share-math.js';
import {
  buildConfigureResult,
  buildSubscribeResult,
  requestedVersionMask,
} from '../../../stratum/subscribe-result.js';
import { negotiateVersionMask, BIP320_MASK } from '../../../stratum/version-rolling.js';
import type { PoolAddress } from '../options.js';
import { stratumUrl, type MemoryNetwork } from './memory-network.js';

export interface ScriptedPoolOptions {
  difficulty?: number;
  extranonce2Size?: number;
  /** Mask the pool grants (intersected with the miner's); BIP320's 1fffe000 by default. */
  versionMask?: number;
  /** Send set_difficulty and a job right after the subscribe answer instead of after authorize. */
  workAfterSubscribe?: boolean;
  /** Do not answer subscribe (to test a miner's subscribe timeout). */
  silent?: boolean;
  /** A line sent just before the subscribe answer (a pool that talks first). */
  beforeSubscribeAnswer?: string;
  /** A line sent just before the authorize answer. */
  beforeAuthorizeAnswer?: string;
  /** Jobs from a fixed seed and clock (for recorded fixtures); random prevhash and real ntime otherwise. */
  deterministic?: boolean;
}

export interface JudgedShare {
  worker: string;
  jobId: string;
  ok: boolean;
  code?: number;
}

export class ScriptedConnection extends EventEmitter<{ line: [string]; close: [] }> {
  readonly lines: string[] = [];
  readonly shares: JudgedShare[] = [];
  extranonce1: string;
  extranonce2Size: number;
  difficulty: number;
  versionMask = 0;
  subscribed = false;
  closed = false;
  private readonly jobs = new Map<string, { job: PreparedJob; difficulty: number }>();
  private readonly seen = new SeenShares();

  constructor(
    private readonly conn: LineTransport,
    private readonly pool: ScriptedPool,
    index: number,
  ) {
    super();
    this.extranonce1 = (0xa0000000 + index).toString(16).padStart(8, '0');
    this.difficulty = pool.options.difficulty ?? 0.0001;
    this.extranonce2Size = pool.options.extranonce2Size ?? 4;
    conn.on('line', (line) => this.onLine(line));
    conn.on('close', () => {
      this.closed = true;
      this.emit('close');
    });
  }

  send(line: string): void {
    this.conn.send(line);
  }

  setDifficulty(difficulty: number): void {
    this.difficulty = difficulty;
    this.send(JSON.stringify({ id: null, method: 'mining.set_difficulty', params: [difficulty] }));
  }

  /** Sends a fresh job; it is judged at the difficulty in force now. */
  notify(cleanJobs = true): string {
    const params = this.pool.nextJob(cleanJobs);
    if (cleanJobs) this.jobs.clear();
    this.jobs.set(params.jobId, { job: prepareJob(params), difficulty: this.difficulty });
    this.send(
      JSON.stringify({
        id: null,
        method: 'mining.notify',
        params: [
          params.jobId,
          params.prevhash,
          params.coinb1,
          params.coinb2,
          params.merkleBranches,
          params.version,
          params.nbits,
          params.ntime,
          params.cleanJobs,
        ],
      }),
    );
    return params.jobId;
  }

  /** mining.set_extranonce; shares are judged with the new values from now on. */
  setExtranonce(extranonce1: string, extranonce2Size: number): void {
    this.extranonce1 = extranonce1;
    this.extranonce2Size = extranonce2Size;
    this.send(
      JSON.stringify({ id: null, method: 'mining.set_extranonce', params: [extranonce1, extranonce2Size] }),
    );
  }

  close(): void {
    this.conn.destroy();
  }

  private sendWork(): void {
    this.setDifficulty(this.difficulty);
    this.notify(true);
  }

  private onLine(line: string): void {
    this.lines.push(line);
    this.emit('line', line);
    let msg;
    try {
      msg = parseMessage(line);
    } catch (err) {
      const e = err instanceof StratumError ? err : new StratumError('PARSE_ERROR');
      this.send(encodeError(e.requestId ?? null, e));
      return;
    }
    if (msg.type !== 'request') return;
    switch (msg.method) {
      case 'mining.configure': {
        const asked = requestedVersionMask(msg.params.options);
        this.versionMask = negotiateVersionMask(this.pool.options.versionMask ?? BIP320_MASK, asked);
        this.send(encodeResult(msg.id, buildConfigureResult(msg.params.extensions, this.versionMask)));
        return;
      }
      case 'mining.subscribe':
        if (this.pool.options.silent) return;
        this.subscribed = true;
        if (this.pool.options.beforeSubscribeAnswer !== undefined)
          this.send(this.pool.options.beforeSubscribeAnswer);
        this.send(encodeResult(msg.id, buildSubscribeResult('1', this.extranonce1, this.extranonce2Size)));
        if (this.pool.options.workAfterSubscribe) this.sendWork();
        return;
      case 'mining.authorize':
        if (this.pool.options.beforeAuthorizeAnswer !== undefined)
          this.send(this.pool.options.beforeAuthorizeAnswer);
        this.send(encodeResult(msg.id, true));
        if (!this.pool.options.workAfterSubscribe) this.sendWork();
        return;
      case 'mining.suggest_difficulty':
      case 'mining.extranonce.subscribe':
        this.send(encodeResult(msg.id, true));
        return;
      case 'mining.submit': {
        const entry = this.jobs.get(msg.params.jobId);
        const verdict = checkShare(msg.params, {
          job: entry?.job,
          extranonce1: this.extranonce1,
          extranonce2Size: this.extranonce2Size,
          versionMask: this.versionMask,
          difficulty: entry?.difficulty ?? this.difficulty,
          seen: this.seen,
        });
        const judged: JudgedShare = { worker: msg.params.worker, jobId: msg.params.jobId, ok: verdict.ok };
        if (!verdict.ok) judged.code = verdict.error.code;
        this.shares.push(judged);
        this.send(verdict.ok ? encodeResult(msg.id, true) : encodeError(msg.id, verdict.error));
        return;
      }
      default:
        return;
    }
  }
}

export class ScriptedPool extends EventEmitter<{ connection: [ScriptedConnection] }> {
  readonly connections: ScriptedConnection[] = [];
  private jobCounter = 0;
  private prevhash: string;

  private address: PoolAddress = { host: '127.0.0.1', port: 0 };
  private server: Server | undefined;
  private network: MemoryNetwork | undefined;

  private constructor(readonly options: ScriptedPoolOptions) {
    super();
    this.prevhash = this.bytes32('prevhash');
  }

  /** A pool on a real TCP port of 127.0.0.1. */
  static async start(options: ScriptedPoolOptions = {}): Promise<ScriptedPool> {
    const pool = new ScriptedPool(options);
    const server = createServer((socket) =>
      pool.accept(new LineConnection(socket, { lineCap: DEFAULT_MINER_LINE_CAP })),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    pool.server = server;
    pool.address = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
    return pool;
  }

  /** A pool on an in-memory network: miners reach it with `network.dial`. */
  static inMemory(network: MemoryNetwork, options: ScriptedPoolOptions = {}): ScriptedPool {
    const pool = new ScriptedPool(options);
    pool.network = network;
    pool.address = network.listen((transport) => pool.accept(transport));
    return pool;
  }

  /** Serves one more connection, whatever carries it. */
  accept(transport: LineTransport): ScriptedConnection {
    const conn = new ScriptedConnection(transport, this, this.connections.length);
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
    return stratumUrl(this.address);
  }

  nextJob(cleanJobs: boolean): JobParams {
    this.jobCounter += 1;
    if (cleanJobs) this.prevhash = this.bytes32(`prevhash-${this.jobCounter}`);
    const height = (800_000 + this.jobCounter).toString(16).padStart(6, '0');
    return {
      jobId: this.jobCounter.toString(16),
      prevhash: this.prevhash,
      // Coinbase-shaped bytes; pool and miner only need to hash the same ones.
      coinb1: `01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff1103${height.slice(4)}${height.slice(2, 4)}${height.slice(0, 2)}`,
      coinb2:
        '0a6b61726f6f2d74657374ffffffff0100f2052a010000001976a914000000000000000000000000000000000000000088ac00000000',
      merkleBranches: [this.bytes32(`a-${this.jobCounter}`), this.bytes32(`b-${this.jobCounter}`)],
      version: '20000000',
      nbits: '1703a30c',
      ntime: (this.options.deterministic ? 0x68000000 : Math.floor(Date.now() / 1000))
        .toString(16)
        .padStart(8, '0'),
      cleanJobs,
    };
  }

  private bytes32(label: string): string {
    if (!this.options.deterministic) return randomBytes(32).toString('hex');
    return createHash('sha256').update(`karoo scripted pool ${label}`).digest('hex');
  }

  /** Every line every connection has sent, in arrival order per connection. */
  linesOf(index: number): string[] {
    return this.connections[index]?.lines ?? [];
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.close();
    this.network?.unlisten(this.address);
    const server = this.server;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
