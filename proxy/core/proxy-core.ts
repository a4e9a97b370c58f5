import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../runtime/clock.js';
import { systemClock } from '../../runtime/clock.js';
import type { LineTransport } from '../../runtime/line-transport.js';
import { silentLogger } from '../../runtime/logger.js';
import {
  BIP320_MASK,
  ExtranonceSpaceFullError,
  StratumError,
  encodeMessage,
  negotiateVersionMask,
  request,
} from '../../stratum/index.js';
import type { SubmitRequest } from '../../stratum/index.js';
import { nbitsToTarget, targetToDifficulty } from '../../stratum/index.js';
import type { CoreOptions, FrozenOptions } from './core-options.js';
import { ExtranonceSplit } from './extranonce-split.js';
import type { ExtranonceAssignment } from './extranonce-split.js';
import { JobBook, bookJob } from './job-book.js';
import type { BookedJob } from './job-book.js';
import { MinerSession } from './miner-session.js';
import type { MinerView, SessionTap } from './miner-session.js';
import { ProxyBook } from './proxy-book.js';
import { RetiredWorkers } from './retired-workers.js';
import { TYPICAL_HASHRATE, difficultyFor, passwordDifficulty } from './start-difficulty.js';
import { asPoolInteger, poolDifficultyFor, worthResuggesting } from './pool-difficulty.js';
import { HASHES_PER_DIFFICULTY } from '../stats/index.js';
import { ShareDesk } from './share-desk.js';
import type { LocalShareResult, PoolShareResult } from './share-desk.js';
import type { SessionHost } from './session-host.js';
import type { CoreSnapshot, MinerSnapshot, SnapshotOptions } from './snapshot.js';
import type { DialUpstream, UpstreamConnection, UpstreamJob } from './upstream/upstream-connection.js';
import { endpointLabel } from './upstream/upstream-endpoint.js';
import { UpstreamManager } from './upstream/upstream-manager.js';
import type { UpstreamPolicy, UpstreamState } from './upstream/upstream-manager.js';
import type { VardiffChange, WorkerVardiff } from './worker-vardiff.js';
import { createWorkerVardiff } from './worker-vardiff.js';

/** A suggestion the pool did not act on within this long counts as ignored. */
const UNHONOURED_SUGGEST_MS = 10_000;

/** The report logs a line for at most this many workers (a large rack's are on /status). */
export const REPORT_WORKER_LINES = 100;

export interface CoreEvents {
  connect: [miner: MinerView];
  disconnect: [miner: MinerView, reason: string];
  share: [miner: MinerView, result: LocalShareResult];
  'pool-share': [miner: MinerView, result: PoolShareResult];
  vardiff: [miner: MinerView, change: VardiffChange];
  upstream: [state: UpstreamState];
  'upstream-lost': [reason: string];
  /** A pool job, just before it goes to the miners. */
  job: [jobId: string, clean: boolean];
  /** The same job, sent to `miners` ready miners (one encoding for all). */
  'job-sent': [jobId: string, miners: number];
}

/** Judges each mining.authorize: true, or the error to answer with (the abuse limits provide one). */
export type AuthorizePolicy = (
  miner: MinerView,
  user: string,
  password: string | undefined,
) => true | StratumError;

export interface ProxyCoreDeps {
  /** Opens a line transport to a pool: TCP/TLS in `karoo proxy`, in memory in tests. */
  dial: DialUpstream;
  logger?: Logger;
  clock?: Clock;
  random?: () => number;
  authorize?: AuthorizePolicy;
  /** Called for each new miner; a tap it returns sees every line in and out. */
  tapSession?: (miner: MinerView) => SessionTap | undefined;
  /**
   * Connection ids: first, first + step, ... (default 1, 2, 3, ...). `karoo proxy --workers N`
   * gives worker k ids k, k + N, ... so ids stay unique across the processes behind one port.
   */
  sessionIds?: { first: number; step: number };
}

/**
 * The proxy core: many miner sessions, one upstream session. It owns the miner sessions, the
 * upstream lifecycle, the extranonce split, the share desk (verdicts, exactly-once forwarding)
 * and per-miner vardiff. Its state changes only through its methods (accept, reconfigure,
 * disconnect, start, stop) and what arrives on its transports; snapshot() is the one read model.
 */
export class ProxyCore extends EventEmitter<CoreEvents> {
  private opts: CoreOptions;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly upstream: UpstreamManager;
  private readonly jobs = new JobBook();
  private readonly split = new ExtranonceSplit();
  private readonly sessions = new Map<number, MinerSession>();
  private readonly book: ProxyBook;
  private readonly desk: ShareDesk;
  private readonly vardiffs = new WeakMap<MinerSession, WorkerVardiff>();
  /** What the books keep of workers whose connection has gone (kind, agent, difficulty history). */
  private readonly retired = new RetiredWorkers();
  private readonly authorizePolicy: AuthorizePolicy | undefined;
  private readonly tapSession: ProxyCoreDeps['tapSession'];
  private readonly host: SessionHost;
  private nextSessionId: number;
  private readonly sessionIdStep: number;
  /** Miners that have asked for work (sent mining.subscribe): what keeps an on-demand upstream up. */
  private demand = 0;
  private forceCleanNext = true;
  private splitError: string | undefined;
  private sweepTimer: TimerHandle | undefined;
  private reportTimer: TimerHandle | undefined;
  private vardiffTimer: TimerHandle | undefined;
  private started = false;
  private stopped = false;

  constructor(options: CoreOptions, deps: ProxyCoreDeps) {
    super();
    this.opts = options;
    this.clock = deps.clock ?? systemClock;
    this.log = deps.logger ?? silentLogger();
    this.book = new ProxyBook(this.clock);
    this.authorizePolicy = deps.authorize;
    this.tapSession = deps.tapSession;
    this.nextSessionId = deps.sessionIds?.first ?? 1;
    this.sessionIdStep = deps.sessionIds?.step ?? 1;
    this.desk = new ShareDesk(this.jobs, {
      onLocal: (s, result) => {
        this.book.recordLocal(result);
        this.emit('share', s, result);
        if (result.accepted) this.afterAcceptedShare(s, result.difficulty);
      },
      onPool: (s, result) => {
        this.book.recordPool(result);
        this.emit('pool-share', s, result);
      },
    });
    this.host = {
      clock: this.clock,
      assignExtranonce: (s) => this.assignExtranonce(s),
      authorize: (s, user, password) => this.authorize(s, user, password),
      submit: (s, msg) => this.submit(s, msg),
      upstreamVersionMask: (s) => this.upstreamVersionMask(s),
      suggestDifficulty: (s, d) => this.suggestDifficulty(s, d),
      onSessionReady: (s) => this.onSessionReady(s),
      onSessionClosed: (s, reason) => this.onSessionClosed(s, reason),
      malformedSubmit: (s, reason, code) => {
        const result = {
          worker: s.worker,
          accepted: false,
          reason,
          code,
          difficulty: s.sentDifficulty,
          jobId: '',
          forwarded: false,
        };
        this.book.recordLocal(result);
        this.emit('share', s, result);
      },
    };
    this.upstream = new UpstreamManager(upstreamPolicy(options), {
      dial: deps.dial,
      logger: this.log,
      clock: this.clock,
      ...(deps.random ? { random: deps.random } : {}),
    });
    this.upstream.on('ready', (conn) => this.onUpstreamReady(conn));
    this.upstream.on('lost', (reason) => this.onUpstreamLost(reason));
    this.upstream.on('job', (job) => this.onJob(job));
    this.upstream.on('extranonce', (en1, size) => this.resplit(en1, size));
    this.upstream.on('version-mask', () => this.regrantVersionMasks());
    this.upstream.on('state', (state) => this.emit('upstream', state));
    this.upstream.on('unknown-notification', (msg, line) => {
      if (this.opts.strictBroadcast || !msg.method.startsWith('mining.')) {
        this.log.debug({ method: msg.method }, 'unknown notification from pool dropped');
        return;
      }
      for (const s of this.sessions.values()) if (s.ready) s.send(line);
    });
  }

  /** The options in force (reconfigure() replaces them). */
  get options(): FrozenOptions {
    return this.opts;
  }

  get minerCount(): number {
    return this.sessions.size;
  }

  get upstreamState(): UpstreamState {
    return this.upstream.state;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.upstream.start();
    this.startTimers();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopTimers();
    for (const s of this.sessions.values()) s.conn.destroy();
    this.upstream.stop();
  }

  /** Resolves true once an upstream session is ready, false after `timeoutMs`. */
  waitUpstreamReady(timeoutMs: number): Promise<boolean> {
    return this.upstream.waitReady(timeoutMs);
  }

  /** Takes a connected miner from any listener (TCP, TLS, WebSocket) or an in-memory pair. */
  accept(transport: LineTransport): MinerView | undefined {
    if (this.stopped || this.sessions.size >= this.opts.maxClients) {
      this.log.warn(
        { remoteAddress: transport.remoteAddress, max: this.opts.maxClients },
        'refusing miner: max_clients reached',
      );
      transport.destroy();
      return undefined;
    }
    const session = new MinerSession(this.nextSessionId, transport, this.host, this.log);
    this.nextSessionId += this.sessionIdStep;
    session.tap = this.tapSession?.(session);
    this.sessions.set(session.id, session);
    // Its child logger is made on first use: not at all for a quiet miner under `warn`.
    if (this.log.isLevelEnabled('info')) session.log.info('miner connected');
    this.emit('connect', session);
    return session;
  }

  /** Closes one miner's connection (a ban, an operator); false when it is not connected. */
  disconnect(minerId: number, reason: string): boolean {
    const session = this.sessions.get(minerId);
    if (!session) return false;
    session.close(reason);
    return true;
  }

  /**
   * Applies new options live (what SIGHUP calls): limits and timeouts at once, vardiff of every
   * connected miner (a clamp is a vardiff change), the upstream policy from its next timer or dial.
   * Line cap and send queue apply to miners that connect from now on (their transports hold them).
   */
  reconfigure(options: CoreOptions): void {
    const before = this.opts;
    this.opts = options;
    this.upstream.reconfigure(upstreamPolicy(options));
    const now = this.clock.now();
    for (const s of this.sessions.values()) {
      const change = this.vardiffs.get(s)?.reconfigure(options.vardiff, now);
      if (change) {
        s.log.info(change, 'vardiff reconfigured');
        this.emit('vardiff', s, change);
      }
    }
    const timersChanged =
      before.clientIdleMs !== options.clientIdleMs ||
      before.subscribeTimeoutMs !== options.subscribeTimeoutMs ||
      before.vardiff.retargetEveryMs !== options.vardiff.retargetEveryMs ||
      before.reportEveryMs !== options.reportEveryMs;
    if (this.started && !this.stopped && timersChanged) {
      this.stopTimers();
      this.startTimers();
    }
  }

  /** The one read model: /status, /metrics, events and the dashboard read this. */
  snapshot(options: SnapshotOptions = {}): CoreSnapshot {
    const up = this.upstream.view();
    const conn = this.upstream.current;
    const endpoint = conn?.endpoint ?? up.endpoint;
    const { local, pool } = this.book.snapshot();
    return {
      at: this.clock.now(),
      mode: this.opts.upstreamMode,
      minerCount: this.sessions.size,
      upstream: {
        state: up.state,
        since: up.since,
        endpointIndex: up.endpointIndex,
        endpoint: { host: endpoint.host, port: endpoint.port, user: endpoint.user, tls: endpoint.tls },
        url: endpointLabel(endpoint),
        lastError: up.lastError,
        attempt: up.attempt,
        dials: up.dials,
        nextDialAt: up.nextDialAt,
        session: conn
          ? {
              extranonce1: conn.extranonce1,
              extranonce2Size: conn.extranonce2Size,
              difficulty: conn.difficulty,
              versionMask: conn.versionMask,
              lastNotifyAt: conn.lastNotifyAt ?? null,
              connectedAt: conn.connectedAt ?? null,
            }
          : null,
        latestJobId: this.jobs.latest?.jobId ?? null,
        suggestedDifficulty: conn?.suggested?.difficulty ?? null,
        jobs: this.jobs.size,
        splitError: this.splitError ?? null,
      },
      extranonce: this.split.view(),
      books: {
        local,
        pool,
        forwarded: this.book.forwardedByWorker(),
        forwardedTotal: this.book.totalForwarded,
        blockCandidates: this.book.blockCandidatesByWorker(),
        blockCandidatesTotal: this.book.totalBlockCandidates,
      },
      remembered: this.desk.remembered,
      retiredWorkers: this.retired.list(this.clock.now()),
      miners: options.miners === false ? [] : [...this.sessions.values()].map((s) => this.minerSnapshot(s)),
    };
  }

  /** The extranonce prefixes allocated now (the model tests compare them with the miners'). */
  allocatedPrefixes(): string[] {
    return this.split.livePrefixes();
  }

  /**
   * One log line for the rack and one per worker (the first REPORT_WORKER_LINES workers seen; the
   * rack line says how many more): what an operator tails. At a level that drops info lines it
   * builds nothing: a worker's snapshot is about 1.5 KB of garbage, every minute, per miner.
   */
  report(): void {
    if (!this.log.isLevelEnabled('info')) return;
    const now = this.clock.now();
    const { local, pool } = this.book;
    const totals = local.snapshotTotals(now);
    const poolTotals = pool.snapshotTotals(now);
    this.log.info(
      {
        miners: this.sessions.size,
        upstream: this.upstream.state,
        accepted: totals.accepted,
        rejected: totals.rejected,
        poolAccepted: poolTotals.accepted,
        poolRejected: poolTotals.rejected,
        hashrate: Math.round(totals.hashrate),
        workers: local.size,
        ...(local.size > REPORT_WORKER_LINES ? { workerLinesOmitted: local.size - REPORT_WORKER_LINES } : {}),
      },
      'report',
    );
    let lines = 0;
    for (const worker of local.names()) {
      if (lines === REPORT_WORKER_LINES) break;
      lines += 1;
      const w = local.snapshotWorker(worker, now);
      if (!w) continue;
      this.log.info(
        {
          worker,
          accepted: w.accepted,
          rejected: w.rejectedByReason,
          difficulty: w.difficulty,
          hashrate: Math.round(w.hashrate),
          spacingMs: w.shareSpacingMs.mean === null ? null : Math.round(w.shareSpacingMs.mean),
          latencyP50Ms: pool.snapshotWorker(worker, now)?.latencyMs.p50 ?? null,
        },
        'worker report',
      );
    }
  }

  private minerSnapshot(s: MinerSession): MinerSnapshot {
    const v = this.vardiffs.get(s);
    return {
      id: s.id,
      remote: s.remoteAddress,
      connectedAt: s.connectedAt,
      lastActivityAt: s.lastActivityAt,
      userAgent: s.userAgent ?? null,
      kind: s.kind,
      worker: s.worker,
      workers: [...s.workers],
      subscribed: s.subscribed,
      authorized: s.authorized,
      ready: s.ready,
      extranonce1: s.extranonce?.extranonce1 ?? null,
      prefix: s.extranonce?.prefix ?? null,
      extranonce2Size: s.extranonce?.extranonce2Size ?? null,
      extranonceSubscribed: s.extranonceSubscribed,
      difficulty: s.sentDifficulty > 0 ? s.sentDifficulty : null,
      versionMask: s.versionRolling ? s.versionMask : null,
      submits: s.submits,
      vardiff: v ? { current: v.current, history: s.sentHistory.toArray().map((h) => ({ ...h })) } : null,
    };
  }

  private startTimers(): void {
    const sweepMs = Math.max(50, Math.min(this.opts.clientIdleMs, this.opts.subscribeTimeoutMs, 5000) / 4);
    this.sweepTimer = this.clock.setInterval(() => this.sweepIdle(), sweepMs);
    // Shares and jobs drive most retargets; the tick catches miners that find nothing at all.
    this.vardiffTimer = this.clock.setInterval(
      () => this.retargetIdle(),
      Math.max(250, this.opts.vardiff.retargetEveryMs / 2),
    );
    if (this.opts.reportEveryMs > 0)
      this.reportTimer = this.clock.setInterval(() => this.report(), this.opts.reportEveryMs);
  }

  private stopTimers(): void {
    this.clock.clearInterval(this.sweepTimer);
    this.clock.clearInterval(this.reportTimer);
    this.clock.clearInterval(this.vardiffTimer);
    this.reportTimer = undefined;
  }

  // --- what sessions ask of the core (the SessionHost) -------------------------------------

  private async assignExtranonce(session: MinerSession): Promise<string | undefined> {
    this.wantUpstream(session);
    if (!this.split.ready) await this.upstream.waitReady(this.opts.coldStartWaitMs);
    if (session.isClosed) return 'closed';
    if (!this.split.ready) return this.splitError ?? undefined;
    try {
      session.extranonce = this.split.assign();
      return undefined;
    } catch (err) {
      if (!(err instanceof ExtranonceSpaceFullError)) throw err;
      session.log.error('extranonce space full');
      return err.message;
    }
  }

  /**
   * The limits' policy first; then, with `localAuthorize` off (the Go karoo's
   * compat.local_authorize: false), each new worker name is authorized by the pool on the shared
   * session and the miner gets the pool's verdict. Shares still go up under the upstream user.
   */
  private async authorize(
    session: MinerSession,
    user: string,
    password: string | undefined,
  ): Promise<true | StratumError> {
    const policy = this.authorizePolicy?.(session, user, password) ?? true;
    if (policy === true) session.passwordDifficulty ??= passwordDifficulty(password);
    if (policy !== true || this.opts.localAuthorize) return policy;
    this.wantUpstream(session);
    const ready =
      this.upstream.current ??
      ((await this.upstream.waitReady(this.opts.coldStartWaitMs)) && this.upstream.current);
    if (!ready) return new StratumError('OTHER', 'upstream pool unavailable: cannot authorize with it');
    const verdict = await ready.authorizeWorker(user, password ?? '');
    return verdict === true ? true : new StratumError('UNAUTHORIZED', `the pool refused ${user}: ${verdict}`);
  }

  /**
   * A miner's first subscribe or configure is what asks for the pool; a bare TCP connect (a load
   * balancer's or Kubernetes' probe) does not.
   */
  private wantUpstream(session: MinerSession): void {
    if (session.wantsUpstream) return;
    session.wantsUpstream = true;
    this.demand += 1;
    this.upstream.setDemand(this.demand);
  }

  private submit(session: MinerSession, msg: SubmitRequest): void {
    const conn = this.upstream.current;
    this.desk.judge(
      session,
      msg,
      conn ? { user: conn.endpoint.user, submit: (params) => conn.submit(params) } : undefined,
    );
  }

  private async upstreamVersionMask(session: MinerSession): Promise<number> {
    this.wantUpstream(session);
    const current =
      this.upstream.current ??
      ((await this.upstream.waitReady(this.opts.coldStartWaitMs)) && this.upstream.current);
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
  private suggestDifficulty(session: MinerSession, difficulty: number): void {
    // With vardiff off the pool's difficulty is every miner's: a suggestion changes nothing.
    if (!this.opts.vardiff.enabled) return;
    const vardiff = this.ensureVardiff(session);
    const honoured = vardiff.suggest(difficulty, this.clock.now());
    session.log.debug({ difficulty, honoured }, 'suggest_difficulty');
    const job = this.jobs.latest;
    if (!honoured || !session.ready || !job || session.sentDifficulty === 0 || session.submits > 0) return;
    if (Math.min(vardiff.current, job.difficulty) !== session.sentDifficulty)
      this.sendJob(session, job, true);
  }

  private onSessionReady(session: MinerSession): void {
    if (!session.ready || session.sentDifficulty > 0) return;
    // Without a job yet the pool's difficulty is not known either: vardiff starts with the first job.
    if (!this.jobs.latest) return;
    this.sendJob(session, this.jobs.latest, true);
    // A pool dialled before any miner (keep-warm) is asked once the rack has someone in it.
    const conn = this.upstream.current;
    if (conn && !conn.suggested) this.suggestToPool(conn);
  }

  private onSessionClosed(session: MinerSession, reason: string): void {
    if (this.sessions.get(session.id) !== session) return;
    this.sessions.delete(session.id);
    this.retired.remember(session, this.clock.now());
    if (session.wantsUpstream) {
      this.demand -= 1;
      this.upstream.setDemand(this.demand);
    }
    if (session.extranonce) {
      this.split.release(session.extranonce);
      session.extranonce = undefined;
    }
    session.log.info({ reason }, 'miner disconnected');
    this.emit('disconnect', session, reason);
  }

  // --- upstream events ---------------------------------------------------------------------

  private onUpstreamReady(conn: UpstreamConnection): void {
    this.resplit(conn.extranonce1, conn.extranonce2Size);
    this.regrantVersionMasks();
  }

  /**
   * Asks the pool for a share difficulty that brings it about one share every few seconds from
   * the whole rack (a pool's default, 16384 on public-pool, would forward nothing from a rack of
   * NerdMiners for hours). Once per session, at its first job (after authorize, and once the
   * pool's own difficulty is known); again when what the rack wants moved by a factor of 4 and
   * the pool honoured the last one; a fraction the pool ignored is tried once more as an integer
   * >= 1 (ckpool takes only those); a pool that ignores a repeat (public-pool) is not asked again.
   */
  private suggestToPool(conn: UpstreamConnection | undefined): void {
    const mode = conn?.endpoint.suggest ?? this.opts.upstreamSuggest;
    if (!conn || mode === 'off' || conn.suggestsIgnored) return;
    const last = conn.suggested;
    if (typeof mode === 'number') {
      if (!last) conn.suggestDifficulty(mode);
      return;
    }
    // Vardiff off: the miners mine at the pool's difficulty, so "auto" leaves it to the pool (a
    // rack-wide aim would hold every miner at the fastest one's difficulty).
    if (!this.opts.vardiff.enabled) return;
    const wanted = this.wantedPoolDifficulty();
    if (wanted === undefined) return;
    if (!last) return conn.suggestDifficulty(wanted);
    const honoured = conn.difficulty === last.difficulty || conn.difficulty !== last.poolDifficultyBefore;
    if (!honoured) {
      if (this.clock.now() - last.at < UNHONOURED_SUGGEST_MS) return;
      if (last.count === 1 && !Number.isInteger(last.difficulty)) {
        conn.suggestIntegersOnly = true;
        return conn.suggestDifficulty(asPoolInteger(last.difficulty));
      }
      conn.suggestsIgnored = true;
      this.log.info(
        { difficulty: last.difficulty },
        'the pool did not take the suggested difficulty; not asking again this session',
      );
      return;
    }
    const next = conn.suggestIntegersOnly ? asPoolInteger(wanted) : wanted;
    if (next !== last.difficulty && worthResuggesting(last.difficulty, next)) conn.suggestDifficulty(next);
  }

  /**
   * The pool difficulty the rack wants: about one forwarded share every few seconds from the
   * rack's rate, at least the highest miner's own difficulty (a miner is never sent more than the
   * pool's, so a lower pool difficulty would hold a fast miner below its vardiff target), and at
   * most what a block needs (a pool that checks the share difficulty before the block, as
   * public-pool does, would refuse a block below its difficulty: on regtest, testnet and signet).
   */
  private wantedPoolDifficulty(): number | undefined {
    let highest = 0;
    for (const s of this.sessions.values()) highest = Math.max(highest, this.minerAim(s) ?? 0);
    const byRate = poolDifficultyFor(this.rackRate());
    if (byRate === undefined) return undefined;
    const nbits = this.jobs.latest?.prepared.nbits;
    const network = nbits === undefined ? 0n : nbitsToTarget(nbits);
    const blockDifficulty = network > 0n ? targetToDifficulty(network) : Number.POSITIVE_INFINITY;
    return Number(Math.min(Math.max(byRate, highest), blockDifficulty).toPrecision(3));
  }

  /**
   * The difficulty the rack finds per second: from the books once they cover a sound window, else
   * from what each miner is set to find (its difficulty per target period, vardiff's aim).
   */
  private rackRate(): number {
    const totals = this.book.snapshot().local.totals;
    if (!totals.hashrateWarmingUp && totals.hashrate > 0) return totals.hashrate / HASHES_PER_DIFFICULTY;
    let rate = 0;
    for (const s of this.sessions.values())
      rate += (this.minerAim(s) ?? 0) / this.opts.vardiff.targetSecondsPerShare;
    return rate;
  }

  /**
   * The difficulty a miner that mines for the pool is (or is about to be) set to: its vardiff's,
   * else what its first job will carry (a password hint, start_diff, or its firmware's typical rate).
   */
  private minerAim(s: MinerSession): number | undefined {
    if (!s.wantsUpstream) return undefined;
    const typical = TYPICAL_HASHRATE[s.kind];
    return (
      this.vardiffs.get(s)?.current ??
      s.passwordDifficulty ??
      this.opts.vardiff.startDiff ??
      (typical === undefined ? undefined : difficultyFor(typical, this.opts.vardiff.targetSecondsPerShare))
    );
  }

  private onUpstreamLost(reason: string): void {
    const dropped = this.jobs.clear();
    for (const s of this.sessions.values()) s.forgetJobs(dropped);
    this.forceCleanNext = true;
    this.emit('upstream-lost', reason);
    if (this.stopped) return;
    if (reason === 'idle') this.log.info('upstream hung up: no miners');
    else if (reason === 'reconfigured') this.log.info('upstream moved over to the new pool list');
    else this.log.warn({ reason, miners: this.sessions.size }, 'upstream lost; miners stay connected');
  }

  private onJob(job: UpstreamJob): void {
    const booked = bookJob(job);
    const dropped = this.jobs.add(booked);
    // The first suggestion goes with the first job: after authorize, with the job's nbits known.
    const conn = this.upstream.current;
    if (conn && !conn.suggested) this.suggestToPool(conn);
    const clean = booked.prepared.job.cleanJobs || this.forceCleanNext;
    this.desk.onJob(booked, booked.prepared.job.cleanJobs);
    if (clean) this.split.onCleanJob();
    this.forceCleanNext = false;
    this.emit('job', booked.jobId, clean);
    let sent = 0;
    for (const s of this.sessions.values()) {
      s.forgetJobs(dropped);
      if (!s.ready) continue;
      this.sendJob(s, booked, clean);
      sent += 1;
    }
    this.emit('job-sent', booked.jobId, sent);
  }

  /** The pool's extranonce changed (new session or set_extranonce): tell miners, or reconnect them. */
  private resplit(poolExtranonce1: string, poolExtranonce2Size: number): void {
    let change;
    try {
      change = this.split.update(poolExtranonce1, poolExtranonce2Size);
    } catch (err) {
      this.splitError = (err as Error).message;
      this.log.error({ err: this.splitError }, 'pool extranonce cannot be split; dropping upstream');
      this.upstream.current?.close('unsplittable-extranonce');
      return;
    }
    this.splitError = undefined;
    if (change === 'none') return;
    this.log.info(
      { change, extranonce1: poolExtranonce1, size: poolExtranonce2Size },
      'pool extranonce changed',
    );
    // Work on the old extranonce is worthless: the next job goes out clean.
    this.forceCleanNext = true;
    for (const s of this.sessions.values()) {
      const old = s.extranonce;
      if (!old) continue;
      if (!s.extranonceSubscribed) {
        // NerdMiner and friends cannot take a new extranonce: reconnect them (NerdMiner ignores
        // client.reconnect, so the connection is closed after it). Their prefix is freed now.
        s.extranonce = undefined;
        this.split.release(old);
        s.send(encodeMessage(request('client.reconnect', {})));
        s.close('extranonce changed upstream');
        continue;
      }
      s.extranonce = change === 'layout' ? this.tryAssign() : this.split.redescribe(old);
      s.forgetAllJobs();
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
    for (const s of this.sessions.values()) {
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
      // A first difficulty that starts right: the operator's start_diff, else what known firmware
      // typically hashes, else the pool's. A suggestion or a password hint replaces it at once.
      const poolDiff = this.jobs.latest?.difficulty ?? this.upstream.current?.difficulty ?? 1;
      const typical = TYPICAL_HASHRATE[session.kind];
      const byKind =
        typical === undefined ? undefined : difficultyFor(typical, this.opts.vardiff.targetSecondsPerShare);
      const start = this.opts.vardiff.startDiff ?? byKind ?? poolDiff;
      v = createWorkerVardiff(this.opts.vardiff, start, this.clock.now());
      this.vardiffs.set(session, v);
      if (session.passwordDifficulty !== undefined) v.suggest(session.passwordDifficulty, this.clock.now());
    }
    return v;
  }

  /**
   * A miner far off its target (a GPU started low floods shares) should not wait for the pool's
   * next job: vardiff retargets at once and the new difficulty goes just before the next job.
   */
  private afterAcceptedShare(session: MinerSession, difficulty: number): void {
    this.vardiffs.get(session)?.recordShare(this.clock.now(), difficulty);
    this.retargetNow(session);
  }

  private retargetIdle(): void {
    for (const s of this.sessions.values()) if (s.ready) this.retargetNow(s);
    this.suggestToPool(this.upstream.current);
  }

  private retargetNow(session: MinerSession): void {
    const vardiff = this.vardiffs.get(session);
    if (!vardiff || !this.opts.vardiff.enabled || session.isClosed) return;
    const change = vardiff.retarget(this.clock.now());
    if (change) this.announceVardiff(session, change);
  }

  private announceVardiff(session: MinerSession, change: VardiffChange): void {
    session.log.info(change, 'vardiff');
    session.vardiffReason = change.reason;
    this.emit('vardiff', session, change);
  }

  /** Retargets vardiff (the new difficulty goes just before the job), capped at the pool's. */
  private sendJob(session: MinerSession, job: BookedJob, clean: boolean): void {
    const vardiff = this.ensureVardiff(session);
    const change = this.opts.vardiff.enabled ? vardiff.retarget(this.clock.now()) : null;
    if (change) this.announceVardiff(session, change);
    // Vardiff off: miners get and follow the pool's difficulty.
    const ownChoice = this.opts.vardiff.enabled && vardiff.current <= job.difficulty;
    const difficulty = ownChoice ? vardiff.current : job.difficulty;
    if (difficulty !== session.sentDifficulty) this.book.recordDifficulty(session.worker, difficulty);
    // The history says what the miner was sent and why: vardiff's own reason, or the pool's.
    session.sendJob(job, clean, difficulty, ownChoice ? (session.vardiffReason ?? 'vardiff') : 'pool');
  }

  private sweepIdle(): void {
    const now = this.clock.now();
    for (const s of this.sessions.values()) {
      if (!s.subscribed && now - s.connectedAt > this.opts.subscribeTimeoutMs)
        s.close('no subscribe in time');
      else if (now - s.lastActivityAt > this.opts.clientIdleMs) s.close('idle');
    }
  }
}

function upstreamPolicy(o: CoreOptions): UpstreamPolicy {
  return {
    endpoints: o.endpoints,
    mode: o.upstreamMode,
    idleGraceMs: o.idleGraceMs,
    backoffMinMs: o.backoffMinMs,
    backoffMaxMs: o.backoffMaxMs,
    primaryProbeMs: o.primaryProbeMs,
    notifyTimeoutMs: o.notifyTimeoutMs,
    timings: o.upstream,
    userAgent: o.userAgent,
  };
}
