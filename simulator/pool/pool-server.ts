import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { JobParams } from '../../stratum/index.js';
import { SeenShares } from '../../stratum/index.js';
import type { Clock, TimerHandle } from '../../runtime/clock.js';
import { systemClock } from '../../runtime/clock.js';
import { LineConnection } from '../../runtime/line-connection.js';
import type { LineTransport } from '../../runtime/line-transport.js';
import type { Logger } from '../../runtime/logger.js';
import { silentLogger } from '../../runtime/logger.js';
import type { FaultController, FaultEvent } from './faults/fault-engine.js';
import { FaultEngine } from './faults/fault-engine.js';
import type { PoolJob } from './job-book.js';
import { JobBook } from './job-book.js';
import { JobFactory } from './job-factory.js';
import type { MakeJobOptions } from './job-factory.js';
import type { PoolStats } from './pool-books.js';
import { PoolBooks } from './pool-books.js';
import type { PoolContext, ShareEvent } from './pool-context.js';
import type { PoolOptions } from './pool-options.js';
import { DEFAULT_JOB_VERSION, resolvePoolOptions } from './pool-options.js';
import type { SessionCloseReason, SessionInfo } from './pool-session.js';
import { PoolSession } from './pool-session.js';
import type { StatsHttpServer } from './stats-http.js';
import { startStatsHttp } from './stats-http.js';
import type { WorkOrigin } from './work-origins.js';
import { WorkOrigins } from './work-origins.js';
import type { PoolProfile } from './profiles/index.js';
import { poolProfile } from './profiles/index.js';
import { ExtranonceBook } from './extranonce-book.js';

/** Header hashes remembered for duplicate detection across the live jobs. */
export const DEFAULT_SEEN_SHARES = 500_000;
/** How long the pool waits for a miner to answer client.get_version or mining.ping. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface SessionClosedInfo extends SessionInfo {
  reason: SessionCloseReason;
}

export interface PoolEvents {
  share: [event: ShareEvent];
  'session-open': [session: SessionInfo];
  'session-close': [session: SessionClosedInfo];
  /** A new job was made (broadcast, or sent to some sessions only). */
  job: [job: JobParams];
  fault: [event: FaultEvent];
}

/** Which sessions a helper acts on. */
export type SessionFilter = 'all' | { session: string } | { worker: string } | ((s: SessionInfo) => boolean);

/** A running pool; see startPool. */
export interface PoolSimulator extends EventEmitter<PoolEvents> {
  readonly host: string;
  readonly port: number;
  /** stratum+tcp://HOST:PORT */
  readonly url: string;
  /** http://HOST:PORT of the stats server, when `http` was given. */
  readonly httpUrl: string | undefined;
  readonly options: PoolOptions;
  readonly faults: FaultController;
  stats(): PoolStats;
  sessions(): SessionInfo[];
  currentJob(): JobParams;
  /** A new job of the same block to everyone (clean_jobs=false). */
  newJob(): JobParams;
  /** A new block: new prevhash, clean_jobs=true; every earlier job becomes stale. */
  newBlock(): JobParams;
  /** Whether `jobId` was broadcast as new work (`newJob`/`newBlock`), made for some sessions, or never made. */
  jobOrigin(jobId: string): WorkOrigin;
  /** True while the job and block timers are paused (a replay drives the work instead). */
  readonly timersPaused: boolean;
  /** Pauses or resumes the `jobIntervalSeconds` and `blockIntervalSeconds` timers. */
  setTimersPaused(paused: boolean): void;
  /** Sends set_difficulty and a new job to the matching sessions; returns how many. */
  setDifficulty(difficulty: number, filter?: SessionFilter): number;
  /** Asks a miner client.get_version; undefined when it does not answer in time. */
  getClientVersion(sessionId: string, timeoutMs?: number): Promise<string | undefined>;
  /** Sends mining.ping; true when the miner answered. */
  ping(sessionId: string, timeoutMs?: number): Promise<boolean>;
  /** Closes every socket, timer and the HTTP server. */
  close(): Promise<void>;
}

export type StartPoolOptions = Partial<PoolOptions> & { logger?: Logger; clock?: Clock };

/** Starts a pool simulator and resolves once it listens (port 0 picks a free port). */
export async function startPool(options: StartPoolOptions = {}): Promise<PoolSimulator> {
  const { logger, clock, ...rest } = options;
  const pool = new PoolServer(resolvePoolOptions(rest), logger ?? silentLogger(), clock ?? systemClock);
  try {
    await pool.start();
  } catch (err) {
    await pool.close();
    throw err;
  }
  return pool;
}

/**
 * A pool that listens on nothing: its jobs, timers and faults run, and `attach()` serves
 * connections that are already line transports (an in-memory pair in unit tests). No HTTP.
 */
export function startMemoryPool(options: StartPoolOptions = {}): PoolServer {
  const { logger, clock, ...rest } = options;
  const pool = new PoolServer(resolvePoolOptions(rest), logger ?? silentLogger(), clock ?? systemClock);
  pool.begin();
  return pool;
}

/** A Stratum V1 pool that checks every share for real and misbehaves on demand. */
export class PoolServer extends EventEmitter<PoolEvents> implements PoolSimulator {
  readonly faults: FaultEngine;
  readonly profile: PoolProfile;
  private readonly server: Server;
  private readonly live = new Map<string, PoolSession>();
  private readonly books = new PoolBooks();
  private readonly seen = new SeenShares(DEFAULT_SEEN_SHARES);
  private readonly jobs: JobBook;
  private readonly factory: JobFactory;
  private readonly extranonces: ExtranonceBook;
  private readonly ctx: PoolContext;
  private readonly timers: TimerHandle[] = [];
  private readonly startedAt: number;
  private http: StatsHttpServer | undefined;
  private boundPort = 0;
  private sessionSeq = 0;
  private connectionCount = 0;
  private blockCount = 0;
  private refusing: 'refuse' | 'reset' | null = null;
  private closing = false;
  private readonly origins = new WorkOrigins();
  private paused = false;

  constructor(
    readonly options: PoolOptions,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {
    super();
    this.profile = poolProfile(options.profile);
    this.startedAt = clock.now();
    this.jobs = new JobBook(options.maxJobs, this.seen, undefined, randomBytes(3).readUIntBE(0, 3) << 4);
    this.factory = new JobFactory({
      extranonceSize: options.extranonce1Size + options.extranonce2Size,
      transactions: options.transactions,
      nbits: options.nbits,
      version: DEFAULT_JOB_VERSION,
      startHeight: options.startHeight,
      payoutScript: options.payoutScript,
      coinbaseTag: options.coinbaseTag,
      clock,
    });
    this.extranonces = new ExtranonceBook(options.extranonce1Size, this.profile.subscribe);
    this.ctx = this.makeContext();
    this.faults = new FaultEngine(
      {
        clock,
        reconnectTarget: () => ({ host: this.options.host, port: this.boundPort }),
        liveSessions: () => [...this.live.values()].filter((s) => !s.isClosed),
        applyDifficulty: (sessions, d) => this.ctx.applyDifficulty(sessions, d),
        sendFreshJob: (sessions, o) => this.sendFreshJob(sessions, o),
        allocateExtranonce1: () => this.ctx.allocateExtranonce1(),
        setRefusing: (mode) => this.setRefusing(mode),
      },
      log,
      (event) => this.emit('fault', event),
    );
    this.server = createServer((socket) => this.onConnection(socket));
    // A failed listen rejects start() and its caller says so; only a listening server's errors are logged.
    this.server.on('error', (err) => {
      if (this.server.listening) log.error({ err: err.message }, 'pool server error');
    });
  }

  get host(): string {
    return this.options.host;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `stratum+tcp://${hostForUrl(this.options.host)}:${this.boundPort}`;
  }

  get httpUrl(): string | undefined {
    return this.http?.url;
  }

  async start(): Promise<void> {
    await this.listen(this.options.port);
    this.begin();
    const { http } = this.options;
    if (http !== undefined) this.http = await startStatsHttp(this, http.host, http.port, this.log);
    this.log.info({ url: this.url, http: this.httpUrl, profile: this.profile.name }, 'pool listening');
  }

  /** The first job, the job and block timers, and the faults of the options. */
  begin(): void {
    this.addJob(false);
    const { jobIntervalSeconds, blockIntervalSeconds } = this.options;
    if (jobIntervalSeconds > 0) {
      this.timers.push(
        this.clock.setInterval(() => {
          if (!this.paused) this.newJob();
        }, jobIntervalSeconds * 1000),
      );
    }
    if (blockIntervalSeconds > 0) {
      this.timers.push(
        this.clock.setInterval(() => {
          if (!this.paused) this.newBlock();
        }, blockIntervalSeconds * 1000),
      );
    }
    for (const fault of this.options.faults) this.faults.inject(fault);
  }

  // ---- public helpers ----

  stats(): PoolStats {
    const { workers, totals } = this.books.snapshot();
    return {
      startedAt: this.startedAt,
      workers,
      totals: {
        ...totals,
        sessions: this.live.size,
        connections: this.connectionCount,
        jobs: this.jobs.createdCount,
        blocks: this.blockCount,
        height: this.factory.block.height,
      },
    };
  }

  sessions(): SessionInfo[] {
    return [...this.live.values()].map((s) => s.info());
  }

  currentJob(): JobParams {
    return this.ctx.currentJob().params;
  }

  newJob(): JobParams {
    const job = this.addJob(false);
    this.origins.remember(job.id, 'new-job');
    return this.broadcast(job, false);
  }

  newBlock(): JobParams {
    this.factory.newBlock();
    this.blockCount += 1;
    this.extranonces.onCleanJob();
    const job = this.addJob(true);
    this.origins.remember(job.id, 'new-block');
    return this.broadcast(job, true);
  }

  jobOrigin(jobId: string): WorkOrigin {
    return this.origins.of(jobId, this.jobs.lookup(jobId).status !== 'unknown');
  }

  get timersPaused(): boolean {
    return this.paused;
  }

  setTimersPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    this.log.info({ paused }, paused ? 'job and block timers paused' : 'job and block timers resumed');
  }

  setDifficulty(difficulty: number, filter: SessionFilter = 'all'): number {
    if (!(difficulty > 0) || !Number.isFinite(difficulty)) {
      throw new RangeError(`difficulty must be a finite number above 0, got ${difficulty}`);
    }
    const sessions = this.select(filter);
    this.ctx.applyDifficulty(sessions, difficulty);
    return sessions.length;
  }

  async getClientVersion(
    sessionId: string,
    timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  ): Promise<string | undefined> {
    const response = await this.live.get(sessionId)?.request('client.get_version', timeoutMs);
    return typeof response?.result === 'string' ? response.result : undefined;
  }

  async ping(sessionId: string, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<boolean> {
    const response = await this.live.get(sessionId)?.request('mining.ping', timeoutMs);
    return response !== undefined && (response.error === null || response.error === undefined);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const t of this.timers) this.clock.clearInterval(t);
    this.faults.clear();
    for (const s of this.live.values()) s.drop('pool-closed');
    const closed = new Promise<void>((resolve) => {
      if (!this.server.listening) resolve();
      else this.server.close(() => resolve());
    });
    await Promise.all([closed, this.http?.close()]);
    this.log.info('pool closed');
  }

  // ---- internals ----

  private makeContext(): PoolContext {
    const { options } = this;
    return {
      options,
      clock: this.clock,
      jobs: this.jobs,
      seen: this.seen,
      profile: this.profile,
      allocateExtranonce1: () => this.extranonces.allocate(),
      resumeExtranonce1: (offered) => this.extranonces.resume(offered),
      releaseExtranonce1: (en1) => this.extranonces.release(en1),
      currentJob: () => this.jobs.current as PoolJob,
      freshJob: (o) => this.addJob(false, o),
      poolDifficulty: (d) => (this.profile.difficulty.form === 'integer' ? Math.max(1, Math.round(d)) : d),
      applyDifficulty: (sessions, difficulty, o = {}) => {
        const d = this.ctx.poolDifficulty(difficulty);
        for (const s of sessions) s.difficulty = d;
        const working = sessions.filter((s) => s.isWorking && !s.isClosed);
        if (working.length > 0) this.sendFreshJob(working, { clean: o.clean ?? false });
      },
      workerAllowed: (worker) => {
        const allow = options.allowWorkers;
        if (allow === undefined) return true;
        const account = worker.split('.')[0] as string;
        return allow.includes(worker) || allow.includes(account);
      },
      effectsFor: (s) => this.faults.effectsFor(s),
      injectedRejection: (s) => this.faults.injectedRejection(s),
      shareJudged: (s, event) => {
        this.books.record({
          worker: event.worker,
          accepted: event.accepted,
          ...(event.reason === undefined ? {} : { reason: event.reason }),
          difficulty: event.difficulty,
          ...(event.block === true ? { block: true } : {}),
          at: event.at,
        });
        s.log.debug(event, event.accepted ? 'share accepted' : 'share rejected');
        this.emit('share', event);
        this.faults.onShare(s, event);
        if (event.block === true) {
          s.log.info(
            { worker: event.worker, hash: event.hash, height: this.factory.block.height },
            'block found',
          );
          this.newBlock();
        }
      },
    };
  }

  private addJob(clean: boolean, opts?: MakeJobOptions): PoolJob {
    const params = this.factory.makeJob(this.jobs.nextId(), clean, opts);
    const job = this.jobs.add(params, this.factory.block.height, this.clock.now());
    this.emit('job', params);
    return job;
  }

  private broadcast(job: PoolJob, clean: boolean): JobParams {
    for (const s of this.live.values()) s.sendJob(job, clean);
    return job.params;
  }

  private sendFreshJob(sessions: readonly PoolSession[], o: { clean: boolean; branches?: number }): void {
    const job = this.addJob(false, o.branches === undefined ? {} : { branches: o.branches });
    for (const s of sessions) s.sendJob(job, o.clean);
  }

  private select(filter: SessionFilter): PoolSession[] {
    const all = [...this.live.values()].filter((s) => !s.isClosed);
    if (filter === 'all') return all;
    if (typeof filter === 'function') return all.filter((s) => filter(s.info()));
    if ('session' in filter) return all.filter((s) => s.id === filter.session);
    return all.filter((s) => s.workers.has(filter.worker));
  }

  private onConnection(socket: Socket): void {
    if (this.closing || this.refusing === 'reset') {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    this.attach(
      new LineConnection(socket, {
        lineCap: this.options.lineCap,
        maxQueuedBytes: this.options.maxSendQueueBytes,
      }),
    );
  }

  /** Serves one connection, from a socket or already a line transport (startMemoryPool). */
  attach(conn: LineTransport): void {
    if (this.closing) {
      conn.destroy();
      return;
    }
    this.connectionCount += 1;
    this.sessionSeq += 1;
    const id = this.sessionSeq.toString(16);
    const log = this.log.child({ session: id, remote: conn.remoteAddress });
    if (this.live.size >= this.options.maxConnections) {
      log.warn({ max: this.options.maxConnections }, 'too many connections; refusing');
      conn.destroy();
      return;
    }
    const session = new PoolSession(conn, this.ctx, { id, connection: this.connectionCount, log });
    this.live.set(id, session);
    conn.once('close', (reason, error) => {
      const subscriptionId = session.subscriptionId;
      const extranonce1 = session.extranonce1;
      const why = session.onClosed(reason);
      if (extranonce1 !== undefined) this.extranonces.closed(subscriptionId, extranonce1);
      this.live.delete(id);
      this.faults.onSessionClose(session);
      log.info({ reason: why, err: error?.message }, 'connection closed');
      this.emit('session-close', { ...session.info(), reason: why });
    });
    log.info('connection opened');
    this.emit('session-open', session.info());
    this.faults.onSessionOpen(session);
  }

  private async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen({ port, host: this.options.host }, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.boundPort = (this.server.address() as AddressInfo).port;
  }

  /** 'refuse' closes the listening socket (ECONNREFUSED); 'reset' accepts and drops at once. */
  private setRefusing(mode: 'refuse' | 'reset' | null): void {
    const was = this.refusing;
    this.refusing = mode;
    if (this.closing) return;
    if (mode === 'refuse' && was !== 'refuse') {
      this.server.close();
      this.log.warn('refusing new connections');
    } else if (mode !== 'refuse' && was === 'refuse') {
      this.listen(this.boundPort).then(
        () => {
          if (this.closing) this.server.close();
          else this.log.info('accepting connections again');
        },
        (err: Error) => this.log.error({ err: err.message }, 'cannot listen again'),
      );
    }
  }
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
