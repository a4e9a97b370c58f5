import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../runtime/clock.js';
import { systemClock } from '../runtime/clock.js';
import { LineConnection } from '../runtime/line-connection.js';
import { silentLogger } from '../runtime/logger.js';
import {
  BIP320_MASK,
  ExtranonceSpaceFullError,
  SeenShares,
  encodeMessage,
  negotiateVersionMask,
  request,
} from '../stratum/index.js';
import type { SubmitRequest, StratumError } from '../stratum/index.js';
import { ProxyBook } from './accounting/proxy-book.js';
import { ExtranonceSplit } from './extranonce-split.js';
import { JobBook } from './jobs/job-book.js';
import type { ProxyOptions } from './proxy-options.js';
import type { ExtranonceAssignment, SessionTap } from './session/miner-session.js';
import { MinerSession } from './session/miner-session.js';
import type { SessionHost } from './session/session-host.js';
import type { LocalShareResult, PoolShareResult } from './share-pipeline.js';
import { handleSubmit } from './share-pipeline.js';
import { dialEndpoint } from './upstream/dial.js';
import type { UpstreamConnection, UpstreamJob } from './upstream/upstream-connection.js';
import type { UpstreamEndpoint } from './upstream/upstream-endpoint.js';
import { UpstreamManager } from './upstream/upstream-manager.js';
import type { WorkerVardiff } from './worker-vardiff.js';
import { createWorkerVardiff } from './worker-vardiff.js';

export interface ProxyEvents {
  connect: [session: MinerSession];
  disconnect: [session: MinerSession, reason: string];
  share: [session: MinerSession, result: LocalShareResult];
  'pool-share': [session: MinerSession, result: PoolShareResult];
  vardiff: [session: MinerSession, change: { from: number; to: number; reason: string }];
  upstream: [state: string];
}

export interface KarooProxyDeps {
  logger?: Logger;
  clock?: Clock;
  random?: () => number;
  dial?: (endpoint: UpstreamEndpoint) => Promise<Duplex>;
  /** Called for each new miner; a tap it returns sees every line in and out. */
  tapSession?: (session: MinerSession) => SessionTap | undefined;
}

/**
 * The proxy core: many miner sessions, one upstream session. Owns the extranonce split, the
 * pool's jobs, duplicate detection, per-miner vardiff, and the upstream dial policy.
 */
export class KarooProxy extends EventEmitter<ProxyEvents> implements SessionHost {
  readonly clock: Clock;
  readonly log: Logger;
  readonly upstream: UpstreamManager;
  readonly jobs = new JobBook();
  readonly split = new ExtranonceSplit();
  readonly sessions = new Set<MinerSession>();
  readonly book: ProxyBook;
  /** Optional judge of each mining.authorize (set by proxy/limits: worker names, failure backoff). */
  authorizeCheck:
    ((session: MinerSession, user: string, password: string | undefined) => true | StratumError) | undefined;
  private readonly seen = new SeenShares();
  private readonly vardiffs = new WeakMap<MinerSession, WorkerVardiff>();
  private nextSessionId = 1;
  private forceCleanNext = true;
  private sweepTimer: TimerHandle | undefined;
  private reportTimer: TimerHandle | undefined;
  private vardiffTimer: TimerHandle | undefined;
  private stopped = false;
  private readonly tapSession: KarooProxyDeps['tapSession'];

  constructor(
    public options: ProxyOptions,
    deps: KarooProxyDeps = {},
  ) {
    super();
    this.clock = deps.clock ?? systemClock;
    this.log = deps.logger ?? silentLogger();
    this.book = new ProxyBook(this.clock);
    this.tapSession = deps.tapSession;
    this.upstream = new UpstreamManager({
      endpoints: options.endpoints,
      mode: options.upstreamMode,
      idleGraceMs: options.idleGraceMs,
      backoffMinMs: options.backoffMinMs,
      backoffMaxMs: options.backoffMaxMs,
      primaryProbeMs: options.primaryProbeMs,
      dial: deps.dial ?? ((e) => dialEndpoint(e)),
      logger: this.log,
      clock: this.clock,
      userAgent: options.userAgent,
      connection: { notifyTimeoutMs: options.notifyTimeoutMs },
      ...(deps.random ? { random: deps.random } : {}),
    });
    this.upstream.on('ready', (conn) => this.onUpstreamReady(conn));
    this.upstream.on('lost', (reason) => this.onUpstreamLost(reason));
    this.upstream.on('job', (job) => this.onJob(job));
    this.upstream.on('extranonce', (en1, size) => this.resplit(en1, size));
    this.upstream.on('version-mask', () => this.regrantVersionMasks());
    this.upstream.on('state', (state) => this.emit('upstream', state));
    this.upstream.on('unknown-notification', (msg, line) => {
      if (this.options.strictBroadcast || !msg.method.startsWith('mining.')) {
        this.log.debug({ method: msg.method }, 'unknown notification from pool dropped');
        return;
      }
      for (const s of this.sessions) if (s.ready) s.send(line);
    });
  }

  start(): void {
    this.upstream.start();
    const sweepMs = Math.max(
      50,
      Math.min(this.options.clientIdleMs, this.options.subscribeTimeoutMs, 5000) / 4,
    );
    this.sweepTimer = this.clock.setInterval(() => this.sweepIdle(), sweepMs);
    // Shares and jobs drive most retargets; the tick catches miners that find nothing at all.
    this.vardiffTimer = this.clock.setInterval(
      () => this.retargetIdle(),
      Math.max(250, this.options.vardiff.retargetEveryMs / 2),
    );
    if (this.options.reportEveryMs > 0) {
      this.reportTimer = this.clock.setInterval(() => this.report(), this.options.reportEveryMs);
    }
  }

  /** One log line for the rack and one per worker: what an operator tails. */
  report(): void {
    const { local, pool } = this.book.snapshot();
    this.log.info(
      {
        miners: this.sessions.size,
        upstream: this.upstream.state,
        accepted: local.totals.accepted,
        rejected: local.totals.rejected,
        poolAccepted: pool.totals.accepted,
        poolRejected: pool.totals.rejected,
        hashrate: Math.round(local.totals.hashrate),
      },
      'report',
    );
    for (const [worker, w] of Object.entries(local.workers)) {
      this.log.info(
        {
          worker,
          accepted: w.accepted,
          rejected: w.rejectedByReason,
          difficulty: w.difficulty,
          hashrate: Math.round(w.hashrate),
          spacingMs: w.shareSpacingMs.mean === null ? null : Math.round(w.shareSpacingMs.mean),
          latencyP50Ms: pool.workers[worker]?.latencyMs.p50 ?? null,
        },
        'worker report',
      );
    }
  }

  /** Takes a connected miner stream from any listener (TCP, TLS, WebSocket). */
  accept(stream: Duplex, remoteAddress?: string): MinerSession | undefined {
    if (this.stopped || this.sessions.size >= this.options.maxClients) {
      this.log.warn({ remoteAddress, max: this.options.maxClients }, 'refusing miner: max_clients reached');
      stream.destroy();
      return undefined;
    }
    const conn = new LineConnection(
      stream,
      {
        lineCap: this.options.minerLineCap,
        maxQueuedBytes: this.options.minerSendQueueBytes,
        closeOnOversize: false,
      },
      remoteAddress,
    );
    const session = new MinerSession(this.nextSessionId++, conn, this, this.log);
    session.tap = this.tapSession?.(session);
    this.sessions.add(session);
    this.upstream.setDemand(this.sessions.size);
    session.log.info('miner connected');
    this.emit('connect', session);
    return session;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clock.clearInterval(this.sweepTimer);
    this.clock.clearInterval(this.reportTimer);
    this.clock.clearInterval(this.vardiffTimer);
    for (const s of this.sessions) s.conn.destroy();
    this.upstream.stop();
  }

  vardiffOf(session: MinerSession): WorkerVardiff | undefined {
    return this.vardiffs.get(session);
  }

  // --- SessionHost -------------------------------------------------------------------------

  async assignExtranonce(session: MinerSession): Promise<ExtranonceAssignment | undefined> {
    if (!this.split.ready && !(await this.upstream.waitReady(this.options.coldStartWaitMs))) return undefined;
    if (!this.split.ready) return undefined;
    try {
      return this.split.assign();
    } catch (err) {
      if (err instanceof ExtranonceSpaceFullError) {
        session.log.error('extranonce space full');
        return undefined;
      }
      throw err;
    }
  }

  releaseExtranonce(assignment: ExtranonceAssignment): void {
    this.split.release(assignment);
  }

  authorize(session: MinerSession, user: string, password: string | undefined): true | StratumError {
    return this.authorizeCheck?.(session, user, password) ?? true;
  }

  submit(session: MinerSession, msg: SubmitRequest): void {
    handleSubmit(
      {
        jobs: this.jobs,
        seen: this.seen,
        upstream: this.upstream,
        onLocal: (s, result) => {
          this.book.recordLocal(result);
          this.emit('share', s, result);
          if (result.accepted) this.afterAcceptedShare(s, result.difficulty);
        },
        onPool: (s, result) => {
          this.book.recordPool(result);
          this.emit('pool-share', s, result);
        },
      },
      session,
      msg,
    );
  }

  async upstreamVersionMask(): Promise<number> {
    const current =
      this.upstream.current ??
      ((await this.upstream.waitReady(this.options.coldStartWaitMs)) && this.upstream.current);
    // Before the pool has answered, grant BIP320's general-purpose bits; corrected later by set_version_mask.
    return current ? current.versionMask : BIP320_MASK;
  }

  /**
   * The first suggestion sets the miner's difficulty. It normally comes right after authorize
   * (NerdMiner sends it without waiting), before the miner has submitted anything: then the current
   * job is re-sent at once with the new difficulty. Later changes wait for the next job, because
   * NerdMiner restarts every job from the same nonce with a fixed extranonce2, and a job re-sent
   * after it found shares makes it submit them again.
   */
  suggestDifficulty(session: MinerSession, difficulty: number): void {
    const vardiff = this.ensureVardiff(session);
    const honoured = vardiff.suggest(difficulty);
    session.log.debug({ difficulty, honoured }, 'suggest_difficulty');
    const job = this.jobs.latest;
    if (!honoured || !session.ready || !job || session.sentDifficulty === 0 || session.submits > 0) return;
    if (Math.min(vardiff.current, job.difficulty) !== session.sentDifficulty)
      this.sendJob(session, job, true);
  }

  onSessionReady(session: MinerSession): void {
    if (!session.ready || session.sentDifficulty > 0) return;
    this.ensureVardiff(session);
    if (this.jobs.latest) this.sendJob(session, this.jobs.latest, true);
  }

  onSessionClosed(session: MinerSession, reason: string): void {
    if (!this.sessions.delete(session)) return;
    if (session.extranonce) this.split.release(session.extranonce);
    this.upstream.setDemand(this.sessions.size);
    session.log.info({ reason }, 'miner disconnected');
    this.emit('disconnect', session, reason);
  }

  // --- upstream events ---------------------------------------------------------------------

  private onUpstreamReady(conn: UpstreamConnection): void {
    this.resplit(conn.extranonce1, conn.extranonce2Size);
    this.regrantVersionMasks();
  }

  private onUpstreamLost(reason: string): void {
    for (const id of this.jobs.clear()) this.seen.forgetJob(id);
    this.forceCleanNext = true;
    if (this.stopped) return;
    this.log.warn({ reason, miners: this.sessions.size }, 'upstream lost; miners stay connected');
  }

  private onJob(job: UpstreamJob): void {
    const dropped = this.jobs.add(job);
    for (const id of dropped) this.seen.forgetJob(id);
    const clean = job.prepared.job.cleanJobs || this.forceCleanNext;
    if (clean) this.split.onCleanJob();
    this.forceCleanNext = false;
    for (const s of this.sessions) {
      s.forgetJobs(dropped);
      if (s.ready) this.sendJob(s, job, clean);
    }
  }

  /** The pool's extranonce changed (new session or set_extranonce): tell miners, or reconnect them. */
  private resplit(poolExtranonce1: string, poolExtranonce2Size: number): void {
    let change;
    try {
      change = this.split.update(poolExtranonce1, poolExtranonce2Size);
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'pool extranonce cannot be split; dropping upstream');
      this.upstream.current?.close('unsplittable-extranonce');
      return;
    }
    if (change === 'none') return;
    this.log.info(
      { change, extranonce1: poolExtranonce1, size: poolExtranonce2Size },
      'pool extranonce changed',
    );
    for (const s of this.sessions) {
      if (!s.extranonce) continue;
      if (!s.extranonceSubscribed) {
        // NerdMiner and friends cannot take a new extranonce: reconnect them (NerdMiner ignores
        // client.reconnect, so the connection is closed after it).
        s.extranonce = undefined;
        s.send(encodeMessage(request('client.reconnect', {})));
        s.close('extranonce changed upstream');
        continue;
      }
      s.extranonce = change === 'layout' ? this.tryAssign() : this.split.describe(s.extranonce.prefix);
      if (!s.extranonce) {
        s.close('extranonce space full after resplit');
        continue;
      }
      s.send(
        encodeMessage(
          request('mining.set_extranonce', {
            extranonce1: s.extranonce.extranonce1,
            extranonce2Size: s.extranonce.extranonce2Size,
          }),
        ),
      );
    }
  }

  private tryAssign(): ExtranonceAssignment | undefined {
    try {
      return this.split.assign();
    } catch {
      return undefined;
    }
  }

  /** A new upstream mask: miners whose grant is no longer inside it get mining.set_version_mask. */
  private regrantVersionMasks(): void {
    const upstreamMask = this.upstream.current?.versionMask ?? 0;
    for (const s of this.sessions) {
      if (!s.versionRolling) continue;
      const granted = negotiateVersionMask(upstreamMask, s.requestedMask);
      if (granted === s.versionMask) continue;
      s.versionMask = granted;
      s.send(
        encodeMessage(request('mining.set_version_mask', { mask: granted.toString(16).padStart(8, '0') })),
      );
    }
  }

  // --- per miner -----------------------------------------------------------------------------

  private ensureVardiff(session: MinerSession): WorkerVardiff {
    let v = this.vardiffs.get(session);
    if (!v) {
      const poolDiff = this.jobs.latest?.difficulty ?? this.upstream.current?.difficulty ?? 1;
      v = createWorkerVardiff(
        this.options.vardiff,
        this.options.vardiff.startDiff ?? poolDiff,
        this.clock.now(),
      );
      this.vardiffs.set(session, v);
    }
    return v;
  }

  /**
   * A miner far off its target (a GPU started low floods shares) should not wait for the pool's
   * next job: when vardiff moves, the current job is re-sent right after the new difficulty.
   */
  private afterAcceptedShare(session: MinerSession, difficulty: number): void {
    this.vardiffs.get(session)?.recordShare(this.clock.now(), difficulty);
    this.retargetNow(session);
  }

  private retargetIdle(): void {
    for (const s of this.sessions) if (s.ready) this.retargetNow(s);
  }

  /**
   * Retargets as soon as vardiff has a verdict (a flooding GPU need not wait for a quiet period);
   * the new difficulty reaches the miner just before its next job.
   */
  private retargetNow(session: MinerSession): void {
    const vardiff = this.vardiffs.get(session);
    if (!vardiff || !this.options.vardiff.enabled || session.isClosed) return;
    const change = vardiff.retarget(this.clock.now());
    if (change) this.announceVardiff(session, change);
  }

  private announceVardiff(session: MinerSession, change: { from: number; to: number; reason: string }): void {
    session.log.info(change, 'vardiff');
    this.emit('vardiff', session, change);
  }

  /** Retargets vardiff (the new difficulty goes just before the job), capped at the pool's. */
  private sendJob(session: MinerSession, job: UpstreamJob, clean: boolean): void {
    const vardiff = this.ensureVardiff(session);
    const change = this.options.vardiff.enabled ? vardiff.retarget(this.clock.now()) : null;
    if (change) this.announceVardiff(session, change);
    const difficulty = Math.min(vardiff.current, job.difficulty);
    if (difficulty !== session.sentDifficulty) this.book.recordDifficulty(session.worker, difficulty);
    session.sendJob(job, clean, difficulty);
  }

  private sweepIdle(): void {
    const now = this.clock.now();
    for (const s of this.sessions) {
      if (!s.subscribed && now - s.connectedAt > this.options.subscribeTimeoutMs)
        s.close('no subscribe in time');
      else if (now - s.lastActivityAt > this.options.clientIdleMs) s.close('idle');
    }
  }
}
