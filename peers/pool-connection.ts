import { EventEmitter } from 'node:events';
import type { LineTransport } from '../runtime/line-transport.js';
import { StratumError } from '../stratum/errors.js';
import { encodeError, encodeMessage, encodeResult, request } from '../stratum/message-encoder.js';
import { parseMessage } from '../stratum/message-parser.js';
import type { ClientRequest, JobParams, JsonValue, RpcId, StratumMessage } from '../stratum/messages.js';
import { SeenShares } from '../stratum/share-check.js';
import { prepareJob, type PreparedJob } from '../stratum/share-math.js';
import { DEFAULT_HANDLERS, type PoolHandlers } from './pool-handlers.js';
import type { PoolJobs } from './pool-jobs.js';

/** Lines and judged shares a connection keeps; later ones are counted, not kept. */
export const DEFAULT_POOL_KEEP = 10_000;

/** A request no handler of the script names. */
export interface OtherRequest {
  id: RpcId;
  method: string;
}

export interface JudgedShare {
  worker: string;
  jobId: string;
  ok: boolean;
  code?: number;
}

/** What a connection takes from its pool. */
export interface PoolSettings {
  difficulty: number;
  extranonce2Size: number;
  /** Mask the pool grants at most (intersected with the miner's). */
  versionMask: number;
  handlers: PoolHandlers;
  /** For a method without a handler (by default "method not found"). */
  otherwise: (request: OtherRequest, conn: PoolConnection) => void;
  jobs: PoolJobs;
  keep: number;
}

/**
 * One miner at the scripted pool: every line it sends is recorded, each request goes to the
 * handler for its method (the default script unless the test gave one), and the test can send
 * anything at any time. Holds the session's work so shares are judged (real sha256d).
 */
export class PoolConnection extends EventEmitter<{ line: [string]; close: [] }> {
  /** The first `keep` lines the miner sent, in order. */
  readonly lines: string[] = [];
  readonly shares: JudgedShare[] = [];
  extranonce1: string;
  extranonce2Size: number;
  difficulty: number;
  versionMask = 0;
  subscribed = false;
  /** Authorized and sent work. */
  working = false;
  closed = false;
  /** The miner's address as the transport gives it (`127.0.0.2:50123`). */
  readonly remoteAddress: string;
  readonly jobs = new Map<string, { job: PreparedJob; difficulty: number }>();
  readonly seen = new SeenShares();

  constructor(
    private readonly conn: LineTransport,
    readonly settings: PoolSettings,
    readonly index: number,
  ) {
    super();
    this.remoteAddress = conn.remoteAddress;
    this.extranonce1 = (0xa0000000 + index).toString(16).padStart(8, '0');
    this.difficulty = settings.difficulty;
    this.extranonce2Size = settings.extranonce2Size;
    conn.on('line', (line) => this.onLine(line));
    conn.on('close', () => {
      this.closed = true;
      this.emit('close');
    });
  }

  send(line: string): void {
    this.conn.send(line);
  }

  answer(id: RpcId, result: JsonValue): void {
    this.send(encodeResult(id, result));
  }

  fail(id: RpcId, error: StratumError): void {
    this.send(encodeError(id, error));
  }

  /** A request from the pool (a notification when `id` is null). */
  request(method: string, params: unknown[], id: RpcId = null): void {
    this.send(JSON.stringify({ id, method, params }));
  }

  setDifficulty(difficulty: number): void {
    this.difficulty = difficulty;
    this.send(encodeMessage(request('mining.set_difficulty', { difficulty })));
  }

  /** Sends a fresh job, judged at the difficulty in force now; returns its id. */
  notify(cleanJobs = true): string {
    return this.sendJob(this.settings.jobs.next(cleanJobs));
  }

  /** Sends `job` (one the pool made, perhaps for every connection); returns its id. */
  sendJob(job: JobParams): string {
    if (job.cleanJobs) this.jobs.clear();
    this.jobs.set(job.jobId, { job: prepareJob(job), difficulty: this.difficulty });
    this.send(encodeMessage(request('mining.notify', job)));
    return job.jobId;
  }

  /** mining.set_extranonce; shares are judged with the new values from now on. */
  setExtranonce(extranonce1: string, extranonce2Size: number): void {
    this.extranonce1 = extranonce1;
    this.extranonce2Size = extranonce2Size;
    this.send(encodeMessage(request('mining.set_extranonce', { extranonce1, extranonce2Size })));
  }

  /** Handles a request as the default script does (for a handler that only adds to it). */
  byDefault(request: ClientRequest): void {
    (DEFAULT_HANDLERS[request.method] as (r: ClientRequest, c: PoolConnection) => void)(request, this);
  }

  close(): void {
    this.conn.destroy();
  }

  private onLine(line: string): void {
    if (this.lines.length < this.settings.keep) this.lines.push(line);
    this.emit('line', line);
    let msg: StratumMessage;
    try {
      msg = parseMessage(line);
    } catch (err) {
      const e = err instanceof StratumError ? err : new StratumError('PARSE_ERROR');
      this.fail(e.requestId ?? null, e);
      return;
    }
    if (msg.type === 'response') return;
    if (msg.type === 'unknown') {
      this.settings.otherwise(msg, this);
      return;
    }
    const handler = (this.settings.handlers[msg.method as ClientRequest['method']] ??
      DEFAULT_HANDLERS[msg.method as ClientRequest['method']]) as
      ((r: StratumMessage, c: PoolConnection) => void) | undefined;
    if (handler === undefined) this.settings.otherwise(msg, this);
    else handler(msg, this);
  }
}
