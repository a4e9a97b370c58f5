import type { Clock } from '../../../runtime/clock.js';
import type { LineTransport } from '../../../runtime/line-transport.js';
import type { InMemoryLineEnd } from '../../../runtime/test-support/in-memory-line-pair.js';
import { linePair } from '../../../runtime/test-support/in-memory-line-pair.js';
import {
  assembleShare,
  encodeMessage,
  meetsDifficulty,
  meetsNetworkTarget,
  parseMessage,
  prepareJob,
  request,
} from '../../../stratum/index.js';
import type { JobParams, PreparedJob, StratumMessage, SubmitParams } from '../../../stratum/index.js';
import type { UpstreamEndpoint } from '../index.js';

/** How the pool treats a new connection. */
export type PoolMode = 'normal' | 'refuse' | 'hang' | 'drop-after-handshake';
/** How it answers submits. */
export type VerdictMode = 'normal' | 'hold' | 'double' | 'lose';

export const POOL_VERSION_MASK = 0x1fffe000;

export interface FakePoolOptions {
  extranonce2Size?: number;
  difficulty?: number;
  /** The proxy's request timeout: answers later than this cannot count in the proxy's books. */
  requestTimeoutMs?: number;
  /** The jobs' nbits (the network target); 207fffff (regtest) makes every share a block. */
  nbits?: string;
}

export interface PoolConnection {
  readonly id: number;
  readonly host: string;
  /** The pool's end and the proxy's end of the connection. */
  readonly end: InMemoryLineEnd;
  readonly proxyEnd: InMemoryLineEnd;
  extranonce1: string | undefined;
  user: string | undefined;
  password: string | undefined;
  authorizedAt: number | undefined;
  /** A suggest_difficulty was taken on this connection. */
  suggestionTaken: boolean;
  /** The notify subscription id its subscribe answer named. */
  subscriptionId: string | undefined;
  /** When a job went out after this connection had been up for the healthy period. */
  healthyAt: number | undefined;
  /** Workers authorized on this session after the handshake's. */
  readonly extraWorkers: string[];
  /** Submit ids and when the pool received them. */
  readonly submitAt: Map<string, number>;
  /** Submit ids whose first answer the proxy has seen. */
  readonly answered: Set<string>;
}

interface HeldAnswer {
  conn: PoolConnection;
  line: string;
}

/** A share the pool received, judged by the pool's own view of the session. */
export interface ReceivedShare {
  conn: number;
  hash: string | null;
  verdict: 'accepted' | 'stale' | 'duplicate' | 'low-difficulty' | 'bad';
}

const JOB_TEMPLATE = {
  coinb1: '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20',
  coinb2: 'ffffffff0100f2052a010000001976a914000000000000000000000000000000000000000088ac00000000',
  version: '20000000',
  nbits: '1d00ffff',
  ntime: '66000000',
};

/**
 * A Stratum pool in memory, for the core's tests: it answers as a real pool does, judges every
 * share by hashing it with its own view of the session, remembers shares by header hash across
 * connections (a resumed session is the same session), and misbehaves on demand: refuses or hangs
 * dials, drops after the handshake, leaves mining.configure unanswered, holds, doubles or loses
 * verdicts, changes the extranonce, sends client.reconnect, resends a job. It also watches what
 * the proxy actually received, so tests can compare the proxy's books with the truth.
 */
export class FakePool {
  mode: PoolMode = 'normal';
  verdicts: VerdictMode = 'normal';
  answerConfigure = true;
  /** mining.configure requests received. */
  configureRequests = 0;
  /**
   * How it takes mining.suggest_difficulty: any value, the first per connection only
   * (public-pool), integers >= 1 only (ckpool), or not at all.
   */
  suggestions: 'any' | 'once' | 'integer' | 'none' = 'any';
  /** Every suggest_difficulty it received. */
  readonly suggestionsReceived: number[] = [];
  /** Honour the subscribe session id (ckpool's resume). */
  resume = true;
  /**
   * What its subscribe answer names the notify subscription, and so what a resume must offer: the
   * extranonce1 (karoo pool's default), or a session id of its own (ckpool's `%08x`).
   */
  resumeBy: 'extranonce1' | 'subscription' = 'extranonce1';
  difficulty: number;
  readonly extranonce2Size: number;
  readonly connections: PoolConnection[] = [];
  readonly dialTimes: number[] = [];
  /** Every endpoint the proxy dialled, credentials included. */
  readonly dialed: UpstreamEndpoint[] = [];
  readonly received: ReceivedShare[] = [];
  /** Header hashes of the blocks the pool was sent. */
  readonly blocks: string[] = [];
  /** Hashes the pool has seen accepted, across every connection. */
  private readonly seen = new Set<string>();
  private readonly jobs = new Map<string, { params: JobParams; prepared: PreparedJob }>();
  private held: HeldAnswer[] = [];
  private jobSeq = 0;
  private block = 1;
  private en1Seq = 0;
  private connSeq = 0;
  current: JobParams;
  /** Accept answers the proxy received in time for a submit still waiting (its books must match). */
  acceptedInTime = 0;
  rejectedInTime = 0;
  private readonly requestTimeoutMs: number;
  private readonly nbits: string;

  constructor(
    private readonly clock: Clock,
    options: FakePoolOptions = {},
    /** Health window of the proxy under test (a job after this long marks a healthy session). */
    private readonly healthyAfterMs = 30_000,
  ) {
    this.difficulty = options.difficulty ?? 1e-10;
    this.extranonce2Size = options.extranonce2Size ?? 8;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.nbits = options.nbits ?? JOB_TEMPLATE.nbits;
    this.current = this.makeJob(true);
  }

  /** What the proxy dials: a connection, refused, or one that never answers (per the mode). */
  readonly dial = async (endpoint: UpstreamEndpoint): Promise<LineTransport> => {
    this.dialTimes.push(this.clock.now());
    this.dialed.push(endpoint);
    if (this.mode === 'refuse') throw new Error(`connect ECONNREFUSED ${endpoint.host}:${endpoint.port}`);
    const [proxyEnd, end] = linePair({ remoteAddress: `${endpoint.host}:${endpoint.port}` });
    const conn: PoolConnection = {
      id: ++this.connSeq,
      host: endpoint.host,
      end,
      proxyEnd,
      extranonce1: undefined,
      user: undefined,
      password: undefined,
      authorizedAt: undefined,
      suggestionTaken: false,
      subscriptionId: undefined,
      healthyAt: undefined,
      extraWorkers: [],
      submitAt: new Map(),
      answered: new Set(),
    };
    this.connections.push(conn);
    const hang = this.mode === 'hang';
    end.on('line', (line) => {
      if (!hang) this.onLine(conn, line);
    });
    proxyEnd.on('line', (line) => this.observe(conn, line));
    return proxyEnd;
  };

  get open(): PoolConnection[] {
    return this.connections.filter((c) => !c.end.isClosed);
  }

  /** The connections that finished the handshake and are still open. */
  get live(): PoolConnection[] {
    return this.open.filter((c) => c.authorizedAt !== undefined);
  }

  /** True once some session was up for the healthy period and got a job after it. */
  healthySince(t: number): boolean {
    return this.connections.some((c) => c.healthyAt !== undefined && c.healthyAt >= t);
  }

  /** A new job to every live connection; a new block forgets the old block's jobs. */
  newJob(options: { clean: boolean; newBlock?: boolean } = { clean: false }): JobParams {
    if (options.newBlock) {
      this.block += 1;
      this.jobs.clear();
    }
    this.current = this.makeJob(options.clean || options.newBlock === true);
    for (const c of this.live) this.sendJob(c, this.current);
    return this.current;
  }

  /** The current job once more, clean: what a pool may do after a session resumes. */
  resendJob(): void {
    this.current = { ...this.current, cleanJobs: true };
    for (const c of this.live) this.sendJob(c, this.current);
  }

  setDifficulty(difficulty: number): void {
    this.difficulty = difficulty;
    for (const c of this.live)
      c.end.send(JSON.stringify({ id: null, method: 'mining.set_difficulty', params: [difficulty] }));
  }

  /** mining.set_extranonce with a fresh extranonce1 to every live connection. */
  setExtranonce(): void {
    for (const c of this.live) {
      c.extranonce1 = this.nextExtranonce1();
      c.end.send(
        JSON.stringify({
          id: null,
          method: 'mining.set_extranonce',
          params: [c.extranonce1, this.extranonce2Size],
        }),
      );
    }
  }

  clientReconnect(host?: string, port?: number): void {
    const params: (string | number)[] = [];
    if (host !== undefined) params.push(host);
    if (port !== undefined) params.push(port);
    for (const c of this.live) c.end.send(JSON.stringify({ id: null, method: 'client.reconnect', params }));
  }

  /** Closes every connection (a pool restart, a network drop). */
  dropAll(): void {
    for (const c of this.open) c.end.close();
  }

  /** Sends the answers held back, in order or reversed. */
  releaseHeld(reversed = false): void {
    const held = this.held;
    this.held = [];
    for (const h of reversed ? held.reverse() : held) h.conn.end.send(h.line);
  }

  private makeJob(clean: boolean): JobParams {
    this.jobSeq += 1;
    const job: JobParams = {
      ...JOB_TEMPLATE,
      nbits: this.nbits,
      jobId: this.jobSeq.toString(16),
      prevhash: this.block.toString(16).padStart(64, '0'),
      // Each job its own transactions (one branch), so its own merkle root, as a real pool's are.
      merkleBranches: [this.jobSeq.toString(16).padStart(64, '0')],
      cleanJobs: clean,
    };
    if (clean) this.jobs.clear();
    this.jobs.set(job.jobId, { params: job, prepared: prepareJob(job) });
    while (this.jobs.size > 16) this.jobs.delete(this.jobs.keys().next().value as string);
    return job;
  }

  private sendJob(c: PoolConnection, job: JobParams): void {
    const now = this.clock.now();
    if (
      c.healthyAt === undefined &&
      c.authorizedAt !== undefined &&
      now - c.authorizedAt >= this.healthyAfterMs
    )
      c.healthyAt = now;
    c.end.send(encodeMessage(request('mining.notify', job)));
  }

  private nextExtranonce1(): string {
    this.en1Seq += 1;
    return (0xa0000000 + this.en1Seq).toString(16);
  }

  private onLine(c: PoolConnection, line: string): void {
    let msg: StratumMessage;
    try {
      msg = parseMessage(line);
    } catch {
      return;
    }
    if (msg.type !== 'request') return;
    const reply = (result: unknown, error: unknown = null): void => {
      c.end.send(JSON.stringify({ id: msg.id, result, error }));
    };
    switch (msg.method) {
      case 'mining.configure':
        this.configureRequests += 1;
        if (this.answerConfigure)
          reply({
            'version-rolling': true,
            'version-rolling.mask': POOL_VERSION_MASK.toString(16).padStart(8, '0'),
          });
        return;
      case 'mining.subscribe': {
        const offered = msg.params.sessionId;
        const key = (o: PoolConnection): string | undefined =>
          this.resumeBy === 'extranonce1' ? o.extranonce1 : o.subscriptionId;
        const resumed =
          this.resume && offered !== undefined
            ? this.connections.find((o) => o !== c && key(o) === offered)
            : undefined;
        c.extranonce1 = resumed?.extranonce1 ?? this.nextExtranonce1();
        c.subscriptionId =
          this.resumeBy === 'extranonce1'
            ? c.extranonce1
            : (resumed?.subscriptionId ?? c.id.toString(16).padStart(8, '0'));
        reply([[['mining.notify', c.subscriptionId]], c.extranonce1, this.extranonce2Size]);
        return;
      }
      case 'mining.authorize':
        if (c.authorizedAt !== undefined) {
          // A further worker on the same session (the proxy's compat.local_authorize off).
          c.extraWorkers.push(msg.params.user);
          return msg.params.user.startsWith('refused.')
            ? reply(null, [24, 'Unauthorized worker', null])
            : reply(true);
        }
        c.user = msg.params.user;
        c.password = msg.params.password;
        reply(true);
        if (this.mode === 'drop-after-handshake') {
          c.end.close();
          return;
        }
        c.authorizedAt = this.clock.now();
        c.end.send(JSON.stringify({ id: null, method: 'mining.set_difficulty', params: [this.difficulty] }));
        this.sendJob(c, { ...this.current, cleanJobs: true });
        return;
      case 'mining.suggest_difficulty': {
        const d = msg.params.difficulty;
        this.suggestionsReceived.push(d);
        const takes =
          this.suggestions === 'any' ||
          (this.suggestions === 'once' && !c.suggestionTaken) ||
          (this.suggestions === 'integer' && Number.isInteger(d) && d >= 1);
        if (takes && c.authorizedAt !== undefined) {
          c.suggestionTaken = true;
          this.difficulty = d;
          c.end.send(JSON.stringify({ id: null, method: 'mining.set_difficulty', params: [d] }));
        }
        return;
      }
      case 'mining.submit':
        return this.onSubmit(c, String(msg.id), msg.params, (line) => this.answer(c, line));
      default:
        return;
    }
  }

  private onSubmit(c: PoolConnection, id: string, p: SubmitParams, send: (line: string) => void): void {
    c.submitAt.set(id, this.clock.now());
    const verdict = this.judge(c, p);
    this.received.push({ conn: c.id, hash: verdict.hash, verdict: verdict.verdict });
    const error =
      verdict.verdict === 'accepted'
        ? null
        : verdict.verdict === 'stale'
          ? [21, 'Job not found', null]
          : verdict.verdict === 'duplicate'
            ? [22, 'Duplicate share', null]
            : verdict.verdict === 'low-difficulty'
              ? [23, 'Low difficulty share', null]
              : [20, 'Bad share', null];
    const line = JSON.stringify({ id: Number(id), result: error === null, error });
    send(line);
  }

  private answer(c: PoolConnection, line: string): void {
    switch (this.verdicts) {
      case 'normal':
        return void c.end.send(line);
      case 'double':
        c.end.send(line);
        return void c.end.send(line);
      case 'hold':
        return void this.held.push({ conn: c, line });
      case 'lose':
        return;
    }
  }

  private judge(
    c: PoolConnection,
    p: SubmitParams,
  ): { hash: string | null; verdict: ReceivedShare['verdict'] } {
    const job = this.jobs.get(p.jobId);
    if (!job) return { hash: null, verdict: 'stale' };
    if (p.extranonce2.length !== this.extranonce2Size * 2 || c.extranonce1 === undefined)
      return { hash: null, verdict: 'bad' };
    const share = assembleShare({
      job: job.prepared,
      extranonce1: c.extranonce1,
      submit: p,
      versionMask: POOL_VERSION_MASK,
    });
    const hash = share.hash.toString('hex');
    if (this.seen.has(hash)) return { hash, verdict: 'duplicate' };
    const block = meetsNetworkTarget(share.hash, job.prepared.nbits);
    if (block) this.blocks.push(hash);
    if (!block && !meetsDifficulty(share.hash, this.difficulty)) return { hash, verdict: 'low-difficulty' };
    this.seen.add(hash);
    return { hash, verdict: 'accepted' };
  }

  /** What the proxy received on this connection: answers to submits still waiting count in its books. */
  private observe(c: PoolConnection, line: string): void {
    let msg: { id?: unknown; result?: unknown; error?: unknown };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return;
    }
    if (msg.id === null || msg.id === undefined || !('result' in msg)) return;
    const id = String(msg.id);
    const at = c.submitAt.get(id);
    if (at === undefined || c.answered.has(id)) return;
    c.answered.add(id);
    if (this.clock.now() - at >= this.requestTimeoutMs) return;
    if (msg.result === true && (msg.error === null || msg.error === undefined)) this.acceptedInTime += 1;
    else this.rejectedInTime += 1;
  }
}
