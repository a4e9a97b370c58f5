import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../../runtime/clock.js';
import type { CloseReason, LineTransport } from '../../../runtime/line-transport.js';
import {
  StratumError,
  encodeResult,
  parseConfigureResult,
  parseMessage,
  notifySubscriptionId,
  parseSubscribeResult,
  prepareJob,
  stratumErrorFromWire,
} from '../../../stratum/index.js';
import type {
  JsonValue,
  PreparedJob,
  Response,
  RpcId,
  ServerRequest,
  StratumMessage,
  SubmitParams,
  UnknownRequest,
} from '../../../stratum/index.js';
import type { UpstreamTimings } from '../core-options.js';
import type { ReconnectTarget } from './reconnect-policy.js';
import type { UpstreamEndpoint } from './upstream-endpoint.js';
import { endpointLabel } from './upstream-endpoint.js';
import { redactLine } from '../../log-redaction.js';

export interface PoolVerdict {
  accepted: boolean;
  /** Set when the pool refused the share or it never got an answer. */
  error?: { code: number; message: string };
  latencyMs: number;
  /**
   * The pool's share difficulty when its answer was read (a set_difficulty in the same read that
   * follows the answer does not count).
   */
  poolDifficulty: number;
}

/** Opens a line transport to a pool (TCP or TLS, or in memory); resolves once connected. */
export type DialUpstream = (endpoint: UpstreamEndpoint) => Promise<LineTransport>;

export interface UpstreamConnectionOptions {
  endpoint: UpstreamEndpoint;
  dial: DialUpstream;
  logger: Logger;
  clock: Clock;
  userAgent: string;
  timings: UpstreamTimings;
  /** Connected but no job for this long: a zombie pool, hang up. */
  notifyTimeoutMs: number;
  /** An earlier session's resume id (its notify subscription id or extranonce1), offered to the pool. */
  resumeSessionId?: string;
  /** Version-rolling mask to ask the pool for (BIP310). */
  requestedVersionMask?: number;
  /** Do not send mining.configure (this pool left it unanswered before). */
  skipConfigure?: boolean;
}

export interface UpstreamJob {
  prepared: PreparedJob;
  /** The pool difficulty in force when this job arrived. */
  difficulty: number;
  receivedAt: number;
}

/** Worker names remembered as authorized by the pool, per session (compat.local_authorize off). */
const MAX_AUTHORIZED_WORKERS = 10_000;

/** Jobs kept from before the handshake ended (pools send the first job with the authorize answer). */
const MAX_EARLY_JOBS = 16;

interface UpstreamEvents {
  job: [job: UpstreamJob];
  difficulty: [difficulty: number];
  extranonce: [extranonce1: string, extranonce2Size: number];
  'version-mask': [mask: number];
  'reconnect-request': [target: ReconnectTarget];
  'unknown-notification': [message: UnknownRequest, line: string];
  close: [reason: string];
}

interface Pending {
  resolve: (response: Response | null) => void;
  timer: TimerHandle;
}

interface Call {
  id: number;
  answer: Promise<Response | null>;
  /** The pool's difficulty when the answer arrived (set once answered). */
  difficultyAtAnswer?: number;
}

/**
 * One Stratum session with one pool, as a client: configure (version rolling), subscribe,
 * authorize, then jobs in and shares out. Every submit gets exactly one verdict, also when the
 * connection dies under it. Jobs that arrive before the handshake ends are held until it does.
 */
export class UpstreamConnection extends EventEmitter<UpstreamEvents> {
  readonly endpoint: UpstreamEndpoint;
  extranonce1 = '';
  /**
   * What to offer the pool to resume this session after a redial: the id it gave the
   * mining.notify subscription (cgminer and ckpool's way), else the extranonce1.
   */
  resumeId = '';
  private subscriptionId: string | undefined;
  extranonce2Size = 0;
  /** Version-rolling mask the pool granted; 0 when it granted none (or never answered). */
  versionMask = 0;
  difficulty = 1;
  lastNotifyAt: number | undefined;
  connectedAt: number | undefined;
  /** True once the handshake has finished. */
  ready = false;
  /** The pool left mining.configure unanswered. */
  configureUnanswered = false;
  private conn: LineTransport | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private pendingSubmits = 0;
  private stallTimer: TimerHandle | undefined;
  private retireTimer: TimerHandle | undefined;
  private retiring: string | undefined;
  private closed = false;
  private early: UpstreamJob[] = [];
  private readonly authorizedWorkers = new Set<string>();
  /** Ids of requests sent without waiting for an answer (suggest_difficulty). */
  private readonly unawaited = new Set<number>();
  /** This pool took a suggestion only as an integer (ckpool): suggest integers from now on. */
  suggestIntegersOnly = false;
  /** The pool did not act on a suggestion: none is sent on this session again. */
  suggestsIgnored = false;
  /**
   * The last difficulty suggested to the pool, when, the pool's difficulty just before, and how
   * many suggestions this session has had.
   */
  suggested: { difficulty: number; at: number; poolDifficultyBefore: number; count: number } | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: UpstreamConnectionOptions) {
    super();
    this.endpoint = opts.endpoint;
    this.log = opts.logger.child({ upstream: endpointLabel(opts.endpoint) });
  }

  get isOpen(): boolean {
    return this.conn !== undefined && !this.closed;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Connects and completes the handshake; rejects (and closes) on any failure or timeout. */
  async open(): Promise<void> {
    const { clock } = this.opts;
    let timer: TimerHandle | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = clock.setTimeout(
        () => reject(new Error(`handshake with ${endpointLabel(this.endpoint)} timed out`)),
        this.opts.timings.handshakeTimeoutMs,
      );
    });
    const handshake = this.handshake();
    // After a timeout the handshake still ends (closing fails its pending calls): not unhandled.
    handshake.catch(() => undefined);
    try {
      await Promise.race([handshake, timeout]);
    } catch (err) {
      this.close('handshake-failed');
      throw err;
    } finally {
      clock.clearTimeout(timer);
    }
  }

  /** The jobs that came before the handshake ended, oldest first; handed over once. */
  takeEarlyJobs(): UpstreamJob[] {
    const jobs = this.early;
    this.early = [];
    return jobs;
  }

  private async handshake(): Promise<void> {
    const conn = await this.opts.dial(this.endpoint);
    if (this.closed) {
      conn.destroy();
      throw new Error('closed while connecting');
    }
    this.conn = conn;
    conn.on('line', (line) => this.onLine(line));
    conn.on('oversize', (err) =>
      this.log.warn({ cap: err.cap }, 'pool sent a line over the cap; disconnecting'),
    );
    conn.on('close', (reason: CloseReason) => this.close(reason));
    if (conn.isClosed) throw new Error('connection closed at once');
    this.connectedAt = this.opts.clock.now();

    const mask = (this.opts.requestedVersionMask ?? 0xffffffff).toString(16).padStart(8, '0');
    const configure = this.opts.skipConfigure
      ? undefined
      : this.call('mining.configure', [
          ['version-rolling'],
          { 'version-rolling.mask': mask, 'version-rolling.min-bit-count': 2 },
        ]);
    const subscribeParams: JsonValue[] = [this.opts.userAgent];
    if (this.opts.resumeSessionId) subscribeParams.push(this.opts.resumeSessionId);
    const subscribed = await this.call('mining.subscribe', subscribeParams).answer;
    if (subscribed === null) throw new Error('connection closed during subscribe');
    const subError = stratumErrorFromWire(subscribed.error);
    if (subError) throw new Error(`pool refused subscribe: ${subError.code} ${subError.message}`);
    const sub = parseSubscribeResult(subscribed.result);
    this.extranonce1 = sub.extranonce1;
    this.subscriptionId = notifySubscriptionId(sub.subscriptions);
    this.resumeId = this.subscriptionId ?? sub.extranonce1;
    this.extranonce2Size = sub.extranonce2Size;

    const configured = configure && (await this.answerWithin(configure, this.opts.timings.configureWaitMs));
    if (configure && configured === undefined) {
      this.configureUnanswered = true;
      this.log.info('pool did not answer mining.configure: going on without version rolling');
    }
    this.versionMask = configured && !configured.error ? (parseConfigureResult(configured.result) ?? 0) : 0;

    const authorized = await this.call('mining.authorize', [this.endpoint.user, this.endpoint.pass]).answer;
    if (authorized === null) throw new Error('connection closed during authorize');
    const authError = stratumErrorFromWire(authorized.error);
    if (authError || authorized.result === false) {
      throw new Error(
        `pool refused authorize for ${this.endpoint.user}: ${authError?.message ?? 'result false'}`,
      );
    }
    if (this.closed) throw new Error('connection closed during authorize');
    this.ready = true;
    this.armStallTimer();
    this.log.info(
      { extranonce1: this.extranonce1, extranonce2Size: this.extranonce2Size, versionMask: this.versionMask },
      'upstream session ready',
    );
  }

  /**
   * Asks the pool whether it takes this worker (mining.authorize on this session), once per name
   * per session: true, or the pool's reason. A name it refused is asked again next time.
   */
  async authorizeWorker(user: string, password: string): Promise<true | string> {
    if (this.authorizedWorkers.has(user)) return true;
    if (!this.isOpen) return 'upstream not connected';
    const answer = await this.call('mining.authorize', [user, password]).answer;
    if (answer === null) return 'no answer from the pool';
    const err = stratumErrorFromWire(answer.error);
    if (err) return `${err.code} ${err.message}`;
    if (answer.result !== true) return `answered ${JSON.stringify(answer.result)}`;
    if (this.authorizedWorkers.size < MAX_AUTHORIZED_WORKERS) this.authorizedWorkers.add(user);
    return true;
  }

  /**
   * Asks the pool for a share difficulty (mining.suggest_difficulty). Pools answer it, answer
   * only with set_difficulty (public-pool), or ignore it (ckpool, for a fraction): no answer is
   * waited for; whether it was honoured shows in `difficulty`.
   */
  suggestDifficulty(difficulty: number): void {
    if (!this.isOpen || !this.conn) return;
    const id = this.nextId++;
    this.unawaited.add(id);
    if (this.unawaited.size > 64) this.unawaited.delete(this.unawaited.values().next().value as number);
    this.suggested = {
      difficulty,
      at: this.opts.clock.now(),
      poolDifficultyBefore: this.difficulty,
      count: (this.suggested?.count ?? 0) + 1,
    };
    const line = JSON.stringify({ id, method: 'mining.suggest_difficulty', params: [difficulty] });
    if (this.log.isLevelEnabled('trace')) this.log.trace({ line }, 'upstream tx');
    this.conn.send(line);
  }

  /** Sends a share to the pool; always resolves with one verdict. */
  async submit(params: SubmitParams): Promise<PoolVerdict> {
    const started = this.opts.clock.now();
    let poolDifficulty = this.difficulty;
    const verdict = (error?: { code: number; message: string }): PoolVerdict => ({
      accepted: error === undefined,
      ...(error ? { error } : {}),
      latencyMs: this.opts.clock.now() - started,
      poolDifficulty,
    });
    if (!this.isOpen) return verdict({ code: 20, message: 'upstream not connected' });
    if (this.pendingSubmits >= this.opts.timings.maxPendingSubmits) {
      return verdict({ code: 20, message: 'upstream busy: too many shares waiting for the pool' });
    }
    this.pendingSubmits += 1;
    try {
      const call = this.call('mining.submit', [
        params.worker,
        params.jobId,
        params.extranonce2,
        params.ntime,
        params.nonce,
        ...(params.versionBits === undefined ? [] : [params.versionBits]),
      ]);
      const answer = await call.answer;
      poolDifficulty = call.difficultyAtAnswer ?? this.difficulty;
      if (answer === null) return verdict({ code: 20, message: 'no answer from the pool' });
      const err = stratumErrorFromWire(answer.error);
      if (err) return verdict(err);
      if (answer.result !== true)
        return verdict({ code: 20, message: `pool answered ${JSON.stringify(answer.result)}` });
      return verdict();
    } finally {
      this.pendingSubmits -= 1;
      if (this.retiring !== undefined && this.pendingSubmits === 0) this.close(this.retiring);
    }
  }

  /**
   * No longer the session in use, but still owed answers: closes once no submit waits for the
   * pool (at once when none does), or after the retire grace, so verdicts in flight are not lost.
   */
  retire(reason: string): void {
    if (this.closed || this.retiring !== undefined) return;
    this.opts.clock.clearTimeout(this.stallTimer);
    if (this.pendingSubmits === 0) return this.close(reason);
    this.retiring = reason;
    this.retireTimer = this.opts.clock.setTimeout(() => this.close(reason), this.opts.timings.retireGraceMs);
  }

  close(reason = 'local'): void {
    if (this.closed) return;
    this.closed = true;
    this.opts.clock.clearTimeout(this.stallTimer);
    this.opts.clock.clearTimeout(this.retireTimer);
    for (const [id, p] of this.pending) {
      this.opts.clock.clearTimeout(p.timer);
      this.pending.delete(id);
      p.resolve(null);
    }
    this.conn?.destroy();
    this.log.info({ reason }, 'upstream closed');
    this.emit('close', reason);
  }

  /** Sends a request; its answer resolves with the response, or null when closed or timed out. */
  private call(method: string, params: JsonValue[]): Call {
    const id = this.nextId++;
    const call: Call = { id, answer: Promise.resolve(null) };
    call.answer = new Promise<Response | null>((settle) => {
      const resolve = (response: Response | null): void => {
        call.difficultyAtAnswer = this.difficulty;
        settle(response);
      };
      if (!this.conn || this.closed) return resolve(null);
      const timer = this.opts.clock.setTimeout(() => {
        this.pending.delete(id);
        this.log.warn({ method, id }, 'pool did not answer in time');
        resolve(null);
      }, this.opts.timings.requestTimeoutMs);
      this.pending.set(id, { resolve, timer });
      const line = JSON.stringify({ id, method, params });
      if (this.log.isLevelEnabled('trace')) this.log.trace({ line: redactLine(line) }, 'upstream tx');
      this.conn.send(line);
    });
    return call;
  }

  /** The call's answer if it comes within `ms`; otherwise undefined, and a late answer is dropped. */
  private answerWithin(call: Call, ms: number): Promise<Response | null | undefined> {
    if (!this.pending.has(call.id)) return call.answer;
    return new Promise((resolve) => {
      const timer = this.opts.clock.setTimeout(() => {
        const p = this.pending.get(call.id);
        if (p) {
          this.pending.delete(call.id);
          this.opts.clock.clearTimeout(p.timer);
        }
        resolve(undefined);
      }, ms);
      void call.answer.then((r) => {
        this.opts.clock.clearTimeout(timer);
        resolve(r);
      });
    });
  }

  private onLine(line: string): void {
    if (this.closed) return;
    if (this.log.isLevelEnabled('trace')) this.log.trace({ line: redactLine(line) }, 'upstream rx');
    let msg: StratumMessage;
    try {
      msg = parseMessage(line);
    } catch (err) {
      this.log.warn(
        { err: err instanceof StratumError ? err.message : String(err) },
        'unparseable line from pool',
      );
      return;
    }
    switch (msg.type) {
      case 'response':
        return this.onResponse(msg);
      case 'unknown':
        return void this.emit('unknown-notification', msg, line);
      case 'request':
        return this.onServerRequest(msg as ServerRequest);
    }
  }

  private onResponse(msg: Response): void {
    const id = typeof msg.id === 'number' ? msg.id : Number(msg.id);
    if (this.unawaited.delete(id)) return;
    const p = this.pending.get(id);
    if (!p) return void this.log.debug({ id: msg.id }, 'response to no pending request');
    this.pending.delete(id);
    this.opts.clock.clearTimeout(p.timer);
    p.resolve(msg);
  }

  private readonly serverHandlers: {
    [M in ServerRequest['method']]: (msg: Extract<ServerRequest, { method: M }>) => void;
  } = {
    'mining.notify': (msg) => {
      const now = this.opts.clock.now();
      let prepared: PreparedJob;
      try {
        prepared = prepareJob(msg.params);
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'unusable job from pool dropped');
        return;
      }
      this.lastNotifyAt = now;
      const job = { prepared, difficulty: this.difficulty, receivedAt: now };
      if (!this.ready) {
        if (prepared.job.cleanJobs) this.early = [];
        this.early.push(job);
        if (this.early.length > MAX_EARLY_JOBS) this.early.shift();
        return;
      }
      this.armStallTimer();
      this.emit('job', job);
    },
    'mining.set_difficulty': (msg) => {
      this.difficulty = msg.params.difficulty;
      if (this.ready) this.emit('difficulty', this.difficulty);
    },
    'mining.set_extranonce': (msg) => {
      this.extranonce1 = msg.params.extranonce1;
      this.resumeId = this.subscriptionId ?? msg.params.extranonce1;
      this.extranonce2Size = msg.params.extranonce2Size;
      if (this.ready) this.emit('extranonce', this.extranonce1, this.extranonce2Size);
    },
    'mining.set_version_mask': (msg) => {
      this.versionMask = Number.parseInt(msg.params.mask, 16) >>> 0;
      if (this.ready) this.emit('version-mask', this.versionMask);
    },
    'client.reconnect': (msg) => this.emit('reconnect-request', msg.params),
    'client.show_message': (msg) => this.log.info({ message: msg.params.message }, 'pool message'),
    'client.get_version': (msg) => this.reply(msg.id, this.opts.userAgent),
    'mining.ping': (msg) => this.reply(msg.id, 'pong'),
  };

  private onServerRequest(msg: ServerRequest): void {
    const handler = this.serverHandlers[msg.method] as ((m: ServerRequest) => void) | undefined;
    if (handler) handler(msg);
    else
      this.log.debug({ method: (msg as { method: string }).method }, 'client-side method from pool ignored');
  }

  private reply(id: RpcId, result: JsonValue): void {
    this.conn?.send(encodeResult(id, result));
  }

  private armStallTimer(): void {
    const { clock } = this.opts;
    clock.clearTimeout(this.stallTimer);
    this.stallTimer = clock.setTimeout(() => {
      this.log.warn({ notifyTimeoutMs: this.opts.notifyTimeoutMs }, 'no job from pool in time: zombie pool');
      this.close('no-notify');
    }, this.opts.notifyTimeoutMs);
  }
}
