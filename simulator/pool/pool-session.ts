import type {
  JsonValue,
  KnownRequest,
  RequestOf,
  Response,
  RpcId,
  ServerRequest,
  StratumMessage,
  SubmitParams,
} from '../../stratum/index.js';
import {
  InvalidParamsError,
  StratumError,
  encodeError,
  encodeMessage,
  encodeResult,
  parseMessage,
  request,
} from '../../stratum/index.js';
import type { TimerHandle } from '../../runtime/clock.js';
import type { CloseReason } from '../../runtime/line-connection.js';
import type { LineTransport } from '../../runtime/line-transport.js';
import type { Logger } from '../../runtime/logger.js';
import { dispatchRequest } from './handlers/index.js';
import { PoolRequests } from './pool-requests.js';
import { jobIdOf, workerOf } from './raw-submit.js';
import type { PoolJob } from './job-book.js';
import type { RejectReason } from './pool-books.js';
import type { PoolContext } from './pool-context.js';
import type { PublicPoolVardiff } from './profiles/public-pool-vardiff.js';
import { PUBLIC_POOL_VARDIFF_INTERVAL_SECONDS } from './profiles/public-pool-vardiff.js';

export type SessionCloseReason =
  | CloseReason
  | 'idle-timeout'
  | 'subscribe-timeout'
  | 'fault'
  | 'pool-closed'
  | 'too-many-connections'
  | 'bad-json'
  | 'submit-too-early';

/** A live session as `PoolSimulator.sessions()` lists it. */
export interface SessionInfo {
  id: string;
  /** 1 for the pool's first connection, 2 for the next, ... */
  connection: number;
  remoteAddress: string;
  connectedAt: number;
  subscribed: boolean;
  extranonce1?: string;
  extranonce2Size: number;
  workers: string[];
  userAgent?: string;
  difficulty: number;
  versionMask: number;
  shares: number;
}

interface SentJob {
  difficulty: number;
  epoch: number;
}

export interface JobForShare {
  status: 'live' | 'stale' | 'unknown';
  job?: PoolJob;
  difficulty: number;
}

/** Worker names one connection may authorize (a proxy authorizes one per miner at most). */
export const MAX_WORKERS_PER_SESSION = 4096;
const WORK_METHODS = new Set(['mining.notify', 'mining.set_difficulty']);
const PUBLIC_POOL_VARDIFF_MS = PUBLIC_POOL_VARDIFF_INTERVAL_SECONDS * 1000;

/**
 * One miner connection: its Stratum state, the difficulty in force for each job it was sent, and
 * the way answers and work reach it (through the faults in force). One handler per method lives
 * in handlers/; this class only frames, dispatches and sends.
 */
export class PoolSession {
  readonly id: string;
  readonly connection: number;
  readonly remoteAddress: string;
  readonly connectedAt: number;
  readonly log: Logger;
  extranonce1: string | undefined;
  extranonce2Size: number;
  subscribed = false;
  extranonceSubscribed = false;
  userAgent: string | undefined;
  readonly workers = new Set<string>();
  difficulty: number;
  versionMask = 0;
  suggestionHonoured = false;
  /** The last suggestion taken (a pool that honours each change ignores a repeat). */
  lastSuggestion: number | undefined;
  /** The pool's own vardiff, when its profile runs one (from subscribe on). */
  vardiff: PublicPoolVardiff | undefined;
  shares = 0;
  /** Work was held back by a stall; send the current job when it ends. */
  missedWork = false;
  private announcedDifficulty: number | undefined;
  private readonly sentJobs = new Map<string, SentJob>();
  private epoch = 0;
  private working = false;
  private closed = false;
  private closeReason: SessionCloseReason | undefined;
  private readonly timers = new Set<TimerHandle>();
  private readonly requests = new PoolRequests();
  private lastActivity: number;

  constructor(
    private readonly conn: LineTransport,
    readonly ctx: PoolContext,
    init: { id: string; connection: number; log: Logger },
  ) {
    this.id = init.id;
    this.connection = init.connection;
    this.remoteAddress = conn.remoteAddress;
    this.connectedAt = ctx.clock.now();
    this.lastActivity = this.connectedAt;
    this.log = init.log;
    this.extranonce2Size = ctx.options.extranonce2Size;
    this.difficulty = ctx.poolDifficulty(ctx.options.difficulty);
    conn.on('line', (line) => this.onLine(line));
    conn.on('oversize', (err) => this.log.warn({ err: err.message }, 'line from miner too long; closing'));
    this.armTimeouts();
  }

  /** The id the subscribe answer names with each subscription. */
  get subscriptionId(): string {
    return this.ctx.profile.subscribe.subscriptionId === 'extranonce1' && this.extranonce1 !== undefined
      ? this.extranonce1
      : this.id.padStart(8, '0');
  }

  /** Has been sent its first job. */
  get isWorking(): boolean {
    return this.working;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Subscribed and at least one worker authorized: jobs may flow. */
  get ready(): boolean {
    return this.subscribed && this.workers.size > 0;
  }

  info(): SessionInfo {
    const out: SessionInfo = {
      id: this.id,
      connection: this.connection,
      remoteAddress: this.remoteAddress,
      connectedAt: this.connectedAt,
      subscribed: this.subscribed,
      extranonce2Size: this.extranonce2Size,
      workers: [...this.workers],
      difficulty: this.difficulty,
      versionMask: this.versionMask,
      shares: this.shares,
    };
    if (this.extranonce1 !== undefined) out.extranonce1 = this.extranonce1;
    if (this.userAgent !== undefined) out.userAgent = this.userAgent;
    return out;
  }

  // ---- incoming ----

  private onLine(line: string): void {
    this.lastActivity = this.ctx.clock.now();
    if (this.log.isLevelEnabled('trace')) this.log.trace({ line }, 'recv');
    let msg: StratumMessage;
    try {
      msg = parseMessage(line);
    } catch (err) {
      if (!(err instanceof StratumError)) throw err;
      this.onBadLine(line, err);
      return;
    }
    switch (msg.type) {
      case 'response':
        this.requests.answer(msg);
        return;
      case 'unknown':
        if (msg.id !== null && !this.ctx.profile.unanswered.includes('unknown'))
          this.replyError(msg.id, new StratumError('METHOD_NOT_FOUND', msg.method));
        return;
      case 'request':
        dispatchRequest(this, msg);
        return;
    }
  }

  /** A submit whose fields do not parse (non-hex, wrong count) is still a share: answered 20 and counted. */
  private onBadLine(line: string, err: StratumError): void {
    const id = err.requestId ?? null;
    const profile = this.ctx.profile;
    if (err.errorName === 'PARSE_ERROR' && profile.badJson === 'close') {
      this.log.debug({ err: err.message }, 'not JSON; closing, as this pool does');
      this.close('bad-json');
      return;
    }
    if (err instanceof InvalidParamsError && err.field.startsWith('mining.submit')) {
      if (!this.ready && profile.submitTooEarly === 'close') {
        this.close('submit-too-early');
        return;
      }
      const submit = { worker: workerOf(line), jobId: jobIdOf(line) };
      this.rejectShare(id, submit, 'malformed', new StratumError('OTHER', err.message), this.difficulty);
      return;
    }
    this.log.debug({ err: err.message }, 'bad message from miner');
    this.replyError(id, err);
  }

  /** ESP-Miner answers mining.ping with a request-shaped {"method":"pong"}: settle the oldest ping. */
  onPong(): void {
    this.requests.pong();
  }

  // ---- outgoing ----

  /** An answer; held back while a delay fault is in force. */
  reply(id: RpcId, result: JsonValue): void {
    this.answer(encodeResult(id, result));
  }

  /** An error answer; the profile's third element (null, or public-pool's ""). */
  replyError(id: RpcId, error: StratumError, message = error.message): void {
    const data = this.ctx.profile.errors.data;
    if (data === null && message === error.message) this.answer(encodeError(id, error));
    else this.answer(JSON.stringify({ id, result: null, error: [error.code, message, data] }));
  }

  /** A notification (id null). Jobs and difficulty are dropped while stalled. */
  notify<M extends ServerRequest['method']>(method: M, params: RequestOf<M>['params']): void {
    if (WORK_METHODS.has(method) && this.ctx.effectsFor(this).stalled) {
      this.missedWork = true;
      return;
    }
    this.write(encodeMessage({ type: 'request', id: null, method, params } as KnownRequest));
  }

  /** Bytes as they are, newline added: garbage and oversize faults. */
  sendRaw(line: string): void {
    this.write(line);
  }

  /** A pool-initiated request (client.get_version, mining.ping); undefined when unanswered in time. */
  request<M extends 'client.get_version' | 'mining.ping'>(
    method: M,
    timeoutMs: number,
  ): Promise<Response | undefined> {
    if (this.closed || this.requests.full) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const id = this.requests.open(method, (response) => {
        this.ctx.clock.clearTimeout(timer);
        this.timers.delete(timer);
        resolve(response);
      });
      const timer = this.ctx.clock.setTimeout(() => {
        this.timers.delete(timer);
        if (this.requests.drop(id)) resolve(undefined);
      }, timeoutMs);
      this.timers.add(timer);
      this.write(encodeMessage({ type: 'request', id, method, params: {} } as KnownRequest));
    });
  }

  private answer(line: string): void {
    const delay = this.ctx.effectsFor(this).replyDelayMs;
    if (delay <= 0) {
      this.write(line);
      return;
    }
    const timer = this.ctx.clock.setTimeout(() => {
      this.timers.delete(timer);
      this.write(line);
    }, delay);
    this.timers.add(timer);
  }

  private write(line: string): void {
    if (this.closed) return;
    if (this.log.isLevelEnabled('trace')) this.log.trace({ line }, 'send');
    this.conn.send(line);
  }

  // ---- work ----

  /** The first job, once subscribed and authorized (at the profile's difficulty for this agent). */
  startWork(): void {
    if (this.working || !this.ready) return;
    this.working = true;
    const agent = this.userAgent ?? '';
    const byAgent = this.ctx.profile.difficulty.byUserAgent.find((rule) => agent.startsWith(rule.prefix));
    if (byAgent !== undefined) this.difficulty = this.ctx.poolDifficulty(byAgent.difficulty);
    this.sendJob(this.ctx.currentJob(), true);
    if (this.vardiff !== undefined) this.every(PUBLIC_POOL_VARDIFF_MS, () => this.retarget());
  }

  /** set_difficulty now, with no job after it (a suggestion's answer, as public-pool and ckpool send it). */
  announceDifficulty(): void {
    this.notify('mining.set_difficulty', { difficulty: this.difficulty });
    this.announcedDifficulty = this.difficulty;
  }

  /** public-pool's checkDifficulty: a new difficulty goes out with a clean job. */
  private retarget(): void {
    const next = this.vardiff?.suggest(this.difficulty, this.ctx.clock.now());
    if (next === undefined || next === this.difficulty) return;
    this.log.info({ from: this.difficulty, to: next }, 'pool vardiff');
    this.ctx.applyDifficulty([this], next, { clean: true });
  }

  /** set_difficulty first when it changed, then the notify it applies to. */
  sendJob(job: PoolJob, cleanJobs: boolean): void {
    if (!this.working || this.closed) return;
    if (this.ctx.effectsFor(this).stalled) {
      this.missedWork = true;
      return;
    }
    if (this.announcedDifficulty !== this.difficulty) {
      this.notify('mining.set_difficulty', { difficulty: this.difficulty });
      this.announcedDifficulty = this.difficulty;
    }
    this.notify('mining.notify', { ...job.params, cleanJobs });
    this.sentJobs.set(job.id, { difficulty: this.difficulty, epoch: this.epoch });
    if (this.sentJobs.size > this.ctx.options.maxJobs * 2) {
      for (const id of this.sentJobs.keys()) if (!this.ctx.jobs.isLive(id)) this.sentJobs.delete(id);
    }
  }

  /** After a stall: the difficulty and the current job again, clean. */
  resumeWork(): void {
    if (!this.missedWork || this.ctx.effectsFor(this).stalled) return;
    this.missedWork = false;
    this.sendJob(this.ctx.currentJob(), true);
  }

  /**
   * New extranonce1 (and maybe size): jobs sent before are stale for this session, since the miner
   * cannot tell which extranonce its late shares used. The caller sends a clean job next.
   */
  setExtranonce(extranonce1: string, extranonce2Size: number): void {
    if (this.extranonce1 !== undefined) this.ctx.releaseExtranonce1(this.extranonce1);
    this.extranonce1 = extranonce1;
    this.extranonce2Size = extranonce2Size;
    this.epoch += 1;
    this.write(encodeMessage(request('mining.set_extranonce', { extranonce1, extranonce2Size })));
  }

  /**
   * The job a share names and the difficulty it must meet: the lower of the one in force when the
   * job was sent and the current one, so shares mined before a change are not lost.
   */
  jobForShare(jobId: string): JobForShare {
    const found = this.ctx.jobs.lookup(jobId);
    if (found.status !== 'live') return { status: found.status, difficulty: this.difficulty };
    const sent = this.sentJobs.get(jobId);
    if (sent !== undefined && sent.epoch !== this.epoch)
      return { status: 'stale', difficulty: this.difficulty };
    const difficulty =
      sent === undefined || this.ctx.profile.difficulty.shares === 'current'
        ? this.difficulty
        : Math.min(sent.difficulty, this.difficulty);
    return { status: 'live', job: found.job, difficulty };
  }

  /** Answers a refused share once and puts it in the books. */
  rejectShare(
    id: RpcId,
    submit: Pick<SubmitParams, 'worker' | 'jobId'>,
    reason: RejectReason,
    error: StratumError,
    difficulty: number,
    extra: { shareDifficulty?: number; hash?: string; block?: boolean } = {},
  ): void {
    this.shares += 1;
    this.replyError(id, error, this.ctx.profile.errors.messages[error.errorName] ?? error.message);
    this.ctx.shareJudged(this, {
      sessionId: this.id,
      worker: submit.worker,
      jobId: submit.jobId,
      accepted: false,
      reason,
      code: error.code,
      message: error.message,
      difficulty,
      ...extra,
      at: this.ctx.clock.now(),
    });
  }

  acceptShare(
    id: RpcId,
    submit: SubmitParams,
    difficulty: number,
    extra: { shareDifficulty: number; hash: string; block?: boolean },
  ): void {
    this.shares += 1;
    this.reply(id, true);
    this.vardiff?.recordAccepted(this.ctx.clock.now(), this.difficulty);
    this.ctx.shareJudged(this, {
      sessionId: this.id,
      worker: submit.worker,
      jobId: submit.jobId,
      accepted: true,
      difficulty,
      ...extra,
      at: this.ctx.clock.now(),
    });
  }

  // ---- lifetime ----

  get closedBecause(): SessionCloseReason | undefined {
    return this.closeReason;
  }

  /** Flushes what is queued, then closes. */
  close(reason: SessionCloseReason): void {
    if (this.closed) return;
    this.closeReason ??= reason;
    this.conn.close('local');
  }

  /** Cuts the connection at once (a pool that vanished). */
  drop(reason: SessionCloseReason): void {
    if (this.closed) return;
    this.closeReason ??= reason;
    this.conn.destroy();
  }

  /** Called once when the connection has closed, whoever closed it. */
  onClosed(reason: CloseReason): SessionCloseReason {
    this.closed = true;
    this.closeReason ??= reason;
    for (const timer of this.timers) this.ctx.clock.clearTimeout(timer);
    this.timers.clear();
    this.requests.closeAll();
    if (this.extranonce1 !== undefined) this.ctx.releaseExtranonce1(this.extranonce1);
    return this.closeReason;
  }

  private armTimeouts(): void {
    const { subscribeTimeoutSeconds, idleTimeoutSeconds } = this.ctx.options;
    if (subscribeTimeoutSeconds > 0) {
      const timer = this.ctx.clock.setTimeout(() => {
        this.timers.delete(timer);
        if (!this.subscribed) {
          this.log.info('no mining.subscribe in time; closing');
          this.close('subscribe-timeout');
        }
      }, subscribeTimeoutSeconds * 1000);
      this.timers.add(timer);
    }
    if (idleTimeoutSeconds > 0) this.armIdle(idleTimeoutSeconds * 1000);
  }

  /** Runs `fn` every `ms` until the session closes. */
  private every(ms: number, fn: () => void): void {
    const timer = this.ctx.clock.setTimeout(() => {
      this.timers.delete(timer);
      fn();
      if (!this.closed) this.every(ms, fn);
    }, ms);
    this.timers.add(timer);
  }

  /** One timer, re-armed for the time left, rather than one per line. */
  private armIdle(ms: number): void {
    const timer = this.ctx.clock.setTimeout(() => {
      this.timers.delete(timer);
      const idleFor = this.ctx.clock.now() - this.lastActivity;
      const limit = this.ctx.options.idleTimeoutSeconds * 1000;
      if (idleFor >= limit) {
        this.log.info({ idleMs: idleFor }, 'connection idle; closing');
        this.close('idle-timeout');
      } else {
        this.armIdle(limit - idleFor);
      }
    }, ms);
    this.timers.add(timer);
  }
}
