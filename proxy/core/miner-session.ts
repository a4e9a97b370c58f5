import type { Logger } from 'pino';
import type { CloseReason, LineTransport } from '../../runtime/line-transport.js';
import {
  InvalidParamsError,
  StratumError,
  buildConfigureResult,
  buildSubscribeResult,
  encodeError,
  encodeMessage,
  encodeResult,
  negotiateVersionMask,
  parseMessage,
  request,
  requestedVersionMask,
} from '../../stratum/index.js';
import type {
  ClientRequest,
  JsonValue,
  MerkleMemo,
  LineTooLongError,
  RpcId,
  StratumMessage,
} from '../../stratum/index.js';
import type { ExtranonceAssignment } from './extranonce-split.js';
import type { BookedJob } from './job-book.js';
import type { MinerKind } from './miner-kind.js';
import { minerKind } from './miner-kind.js';
import type { SessionHost } from './session-host.js';
import { redactLine } from '../log-redaction.js';
import { Ring } from '../stats/index.js';

/** Requests from one miner waiting for an earlier one to be answered before its socket is paused. */
export const MAX_QUEUED_LINES = 1024;

/** Malformed lines tolerated from one miner before it is disconnected. */
export const MAX_BAD_LINES = 20;

/** Worker names one connection may authorize (a rig with several names is fine; 20,000 is not). */
export const MAX_WORKERS_PER_CONNECTION = 32;

/** Difficulty changes kept per miner (what was sent with mining.set_difficulty). */
export const DIFFICULTY_HISTORY = 32;

/** One mining.set_difficulty sent to a miner, and why. */
export interface SentDifficulty {
  at: number;
  from: number;
  to: number;
  /** A vardiff reason, `suggested`, `pool` (the pool's difficulty, or capped by it) or `start`. */
  reason: string;
}

/** An observer of one miner's raw lines, e.g. `karoo proxy --record`. */
export interface SessionTap {
  rx(line: string): void;
  tx(line: string): void;
  closed(by: 'miner' | 'proxy'): void;
}

/** One miner as the world outside the core sees it: read only. */
export interface MinerView {
  readonly id: number;
  readonly remoteAddress: string;
  readonly connectedAt: number;
  readonly userAgent: string | undefined;
  readonly kind: MinerKind;
  /** The first authorized worker name (or conn-ID before authorize). */
  readonly worker: string;
  readonly workers: ReadonlySet<string>;
  readonly subscribed: boolean;
  readonly authorized: boolean;
  readonly isClosed: boolean;
  /** Why the proxy closed it; undefined when the miner left or it is open. */
  readonly closeReason: string | undefined;
  /** Its child logger (conn, remote). */
  readonly log: Logger;
}

/** The chain of an idle miner: already settled, shared by all. */
const IDLE: Promise<void> = Promise.resolve();

/** Where a transport keeps its session, so one set of listener functions serves every miner. */
const SESSION = Symbol('karoo.minerSession');
type OwnedTransport = LineTransport & { [SESSION]?: MinerSession };

/**
 * One downstream miner over any transport: one handler per Stratum method, answered locally.
 * Only shares that meet the pool's difficulty go upstream, through the host's share pipeline.
 */
export class MinerSession implements MinerView {
  readonly id: number;
  readonly connectedAt: number;
  userAgent: string | undefined;
  kind: MinerKind = 'other';
  subscribed = false;
  extranonce: ExtranonceAssignment | undefined;
  /** Workers this connection authorized; the first names it in stats. */
  readonly workers = new Set<string>();
  versionRolling = false;
  /** The mask the miner asked for in mining.configure. */
  requestedMask = 0;
  versionMask = 0;
  extranonceSubscribed = false;
  /** The difficulty last sent with mining.set_difficulty (0: none yet). */
  sentDifficulty = 0;
  /** A difficulty asked for in the authorize password (`d=0.001`), honoured like a suggestion. */
  passwordDifficulty: number | undefined;
  /** Why vardiff last moved (what the next set_difficulty from it is booked as). */
  vardiffReason: string | undefined;
  /** The last mining.set_difficulty changes sent, oldest first (bounded). */
  readonly sentHistory = new Ring<SentDifficulty>(DIFFICULTY_HISTORY);
  /** Difficulty in force when each job was sent, for judging late shares. */
  readonly jobDifficulty = new Map<string, number>();
  lastActivityAt: number;
  /** It has sent mining.subscribe: it counts towards the upstream's demand. */
  wantsUpstream = false;
  /** Shares this miner has submitted. */
  submits = 0;
  /** Its last share's merkle root, for the next share on the same job and extranonce2. */
  merkleMemo: MerkleMemo | undefined;
  /** Why the proxy closed this miner (set by `close`), for disconnect events; undefined if the miner left. */
  closeReason: string | undefined;
  /** Sees every line in and out (a session recorder); set by the proxy before the first line. */
  tap: SessionTap | undefined;
  private badLines = 0;
  /** The last request in line; the shared settled promise while none waits. */
  private chain: Promise<void> = IDLE;
  private queued = 0;
  private closed = false;
  /** Its child logger, made on first use: at `warn` and quieter most miners never log. */
  private childLog: Logger | undefined;

  constructor(
    id: number,
    readonly conn: LineTransport,
    private readonly host: SessionHost,
    private readonly parentLog: Logger,
  ) {
    this.id = id;
    this.connectedAt = host.clock.now();
    this.lastActivityAt = this.connectedAt;
    // One request at a time, in arrival order: a subscribe waiting for a cold upstream is answered
    // before the authorize that followed it, as pools do.
    // Past MAX_QUEUED_LINES waiting, the socket is not read until the queue halves (backpressure):
    // a burst is answered in full, just more slowly.
    (conn as OwnedTransport)[SESSION] = this;
    conn.on('line', MinerSession.transportLine);
    conn.on('oversize', MinerSession.transportOversize);
    conn.on('close', MinerSession.transportClosed);
  }

  // Shared listeners (the transport is `this` in them) instead of three closures per miner.
  private static transportLine(this: OwnedTransport, line: string): void {
    this[SESSION]?.receive(line);
  }

  /** Lines before the oversized one are still answered; then the connection closes. */
  private static transportOversize(this: OwnedTransport, err: LineTooLongError): void {
    const s = this[SESSION];
    if (!s) return;
    s.log.warn({ cap: err.cap }, 'miner sent a line over the cap; disconnecting');
    s.chain = s.chain.then(() => s.conn.close('line-too-long'));
  }

  private static transportClosed(this: OwnedTransport, reason: CloseReason): void {
    const s = this[SESSION];
    if (!s) return;
    s.tap?.closed(reason === 'peer-closed' || reason === 'error' ? 'miner' : 'proxy');
    s.closed = true;
    s.host.onSessionClosed(s, reason);
  }

  private receive(line: string): void {
    this.tap?.rx(line);
    this.queued += 1;
    if (this.queued === MAX_QUEUED_LINES) this.conn.pause();
    this.chain = this.chain
      .then(() => this.onLine(line))
      .finally(() => {
        this.queued -= 1;
        if (this.queued === MAX_QUEUED_LINES >> 1) this.conn.resume();
        // Nothing waits behind it: an idle miner holds no promise of its own.
        if (this.queued === 0) this.chain = IDLE;
      });
  }

  /** Its child logger (conn, remote). */
  get log(): Logger {
    return (this.childLog ??= this.parentLog.child({ conn: this.id, remote: this.conn.remoteAddress }));
  }

  get worker(): string {
    return this.workers.values().next().value ?? `conn-${this.id}`;
  }

  get remoteAddress(): string {
    return this.conn.remoteAddress;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get authorized(): boolean {
    return this.workers.size > 0;
  }

  get ready(): boolean {
    return this.subscribed && this.authorized && this.extranonce !== undefined && !this.closed;
  }

  /** `encoded`: the line's bytes with the newline, when they are shared by many miners. */
  send(line: string, encoded?: Uint8Array): void {
    if (this.parentLog.isLevelEnabled('trace')) this.log.trace({ line: redactLine(line) }, 'tx');
    this.tap?.tx(line);
    this.conn.send(line, encoded);
  }

  reply(id: RpcId, result: JsonValue): void {
    this.send(encodeResult(id, result));
  }

  replyError(id: RpcId, error: StratumError): void {
    this.send(encodeError(id, error));
  }

  close(reason: string): void {
    this.closeReason ??= reason;
    this.log.info({ reason }, 'disconnecting miner');
    this.conn.close('local');
  }

  /** Sends `set_difficulty` if the miner's difficulty changed, then the job (encoded once for all). */
  sendJob(job: BookedJob, clean: boolean, difficulty: number, reason: string): void {
    if (!this.ready) return;
    if (difficulty !== this.sentDifficulty) {
      this.send(encodeMessage(request('mining.set_difficulty', { difficulty })));
      this.sentHistory.push({
        at: this.host.clock.now(),
        from: this.sentDifficulty,
        to: difficulty,
        reason: this.sentDifficulty === 0 ? 'start' : reason,
      });
      this.sentDifficulty = difficulty;
    }
    // A job re-sent after a vardiff change keeps accepting work done at the lower difficulty.
    const jobId = job.jobId;
    this.jobDifficulty.set(jobId, Math.min(this.jobDifficulty.get(jobId) ?? difficulty, difficulty));
    this.send(job.notifyLine(clean), job.notifyBytes(clean));
  }

  forgetJobs(jobIds: readonly string[]): void {
    for (const id of jobIds) this.jobDifficulty.delete(id);
  }

  /** Its extranonce changed: work on every job sent before is on the old one, and stale. */
  forgetAllJobs(): void {
    this.jobDifficulty.clear();
  }

  /** True when `jobId` was sent to this miner (with its current extranonce) and is still live. */
  hasJob(jobId: string): boolean {
    return this.jobDifficulty.has(jobId);
  }

  /** The difficulty a share for `jobId` must meet: the lower of the job's and the current one. */
  requiredDifficulty(jobId: string): number {
    const atJob = this.jobDifficulty.get(jobId);
    return atJob === undefined ? this.sentDifficulty : Math.min(atJob, this.sentDifficulty);
  }

  private async onLine(line: string): Promise<void> {
    if (this.closed) return;
    this.lastActivityAt = this.host.clock.now();
    if (this.parentLog.isLevelEnabled('trace')) this.log.trace({ line: redactLine(line) }, 'rx');
    let msg: StratumMessage;
    try {
      msg = parseMessage(line);
    } catch (err) {
      const error = err instanceof StratumError ? err : new StratumError('OTHER', String(err));
      this.replyError(error.requestId ?? null, error);
      // A submit that does not parse (non-hex fields, a 9-character nonce) is a rejected share too.
      if (error instanceof InvalidParamsError && error.field.startsWith('mining.submit'))
        this.host.malformedSubmit(this, malformedReason(error.field), error.code);
      this.badLines += 1;
      this.log.debug({ err: error.message }, 'bad line from miner');
      if (this.badLines >= MAX_BAD_LINES) this.close(`${MAX_BAD_LINES} malformed lines`);
      return;
    }
    switch (msg.type) {
      case 'response':
        return; // answers to our client.get_version and pings: nothing to do
      case 'unknown':
        return this.replyError(msg.id, new StratumError('METHOD_NOT_FOUND', msg.method));
      case 'request': {
        const handler = MinerSession.handlers[msg.method as ClientRequest['method']] as
          ((s: MinerSession, m: StratumMessage) => void | Promise<void>) | undefined;
        if (!handler)
          return this.replyError(
            msg.id,
            new StratumError('METHOD_NOT_FOUND', `${msg.method} is a pool-side method`),
          );
        try {
          await handler(this, msg);
        } catch (err) {
          this.log.error({ err }, 'handler failed');
          this.replyError(msg.id, new StratumError('OTHER', 'internal error'));
        }
      }
    }
  }

  /** One handler per method, shared by every session (no per-session closures). */
  private static readonly handlers: {
    [M in ClientRequest['method']]: (
      s: MinerSession,
      msg: Extract<ClientRequest, { method: M }>,
    ) => void | Promise<void>;
  } = {
    'mining.subscribe': async (s, msg) => {
      s.userAgent = msg.params.userAgent;
      s.kind = minerKind(s.userAgent);
      if (s.parentLog.isLevelEnabled('debug')) s.log.debug({ userAgent: s.userAgent }, 'subscribe');
      if (!s.extranonce) {
        const refusal = await s.host.assignExtranonce(s);
        if (s.closed) return;
        if (refusal !== undefined || !s.extranonce) {
          return s.replyError(
            msg.id,
            new StratumError('OTHER', refusal ?? 'upstream pool unavailable, try again later'),
          );
        }
      }
      s.subscribed = true;
      const { extranonce1, extranonce2Size } = s.extranonce as ExtranonceAssignment;
      s.reply(msg.id, buildSubscribeResult(s.id.toString(16), extranonce1, extranonce2Size));
      s.host.onSessionReady(s);
    },
    'mining.authorize': async (s, msg) => {
      if (!s.workers.has(msg.params.user) && s.workers.size >= MAX_WORKERS_PER_CONNECTION) {
        return s.replyError(
          msg.id,
          new StratumError('UNAUTHORIZED', `at most ${MAX_WORKERS_PER_CONNECTION} workers on one connection`),
        );
      }
      const verdict = await s.host.authorize(s, msg.params.user, msg.params.password);
      if (s.closed) return;
      if (verdict !== true) return s.replyError(msg.id, verdict);
      const first = !s.authorized;
      s.workers.add(msg.params.user);
      s.reply(msg.id, true);
      if (first) s.host.onSessionReady(s);
    },
    'mining.submit': (s, msg) => {
      s.submits += 1;
      s.host.submit(s, msg);
    },
    'mining.configure': async (s, msg) => {
      let granted: number | null = null;
      if (msg.params.extensions.includes('version-rolling')) {
        s.requestedMask = requestedVersionMask(msg.params.options);
        const upstreamMask = await s.host.upstreamVersionMask(s);
        granted = negotiateVersionMask(upstreamMask, s.requestedMask);
        s.versionRolling = true;
        s.versionMask = granted;
      }
      // Nothing to roll (the pool granted no bits, or never answered configure): say so (BIP310).
      s.reply(msg.id, buildConfigureResult(msg.params.extensions, granted === 0 ? null : granted));
    },
    'mining.suggest_difficulty': (s, msg) => {
      s.host.suggestDifficulty(s, msg.params.difficulty);
      s.reply(msg.id, true);
    },
    'mining.extranonce.subscribe': (s, msg) => {
      s.extranonceSubscribed = true;
      s.reply(msg.id, true);
    },
    'mining.ping': (s, msg) => s.reply(msg.id, 'pong'),
    'mining.pong': () => undefined,
    pong: () => undefined,
  };
}

/** `mining.submit params[4] (nonce)` -> `malformed-nonce`; the whole params list -> `malformed-params`. */
function malformedReason(field: string): string {
  const named = /\(([^)]+)\)\s*$/.exec(field)?.[1];
  return `malformed-${(named ?? 'params').replace(/\s+/g, '-')}`;
}
