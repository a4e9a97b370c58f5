import type { Clock, TimerHandle } from '../../runtime/clock.js';
import type { CloseReason, LineTransport } from '../../runtime/line-transport.js';
import type { Logger } from '../../runtime/logger.js';
import { stratumErrorFromWire } from '../../stratum/errors.js';
import { parseMessage } from '../../stratum/message-parser.js';
import type { Response, StratumMessage } from '../../stratum/messages.js';
import type { HashClient, HashScheduler } from './hash-scheduler.js';
import type { PoolAddress, ResolvedMinerOptions } from './options.js';
import { tcpDialer, type PoolLink } from './pool-link.js';
import type { StatsTracker } from './stats.js';
import type { MinerEventName, MinerEventPayload, ShareSent } from './types.js';
import type { HeaderWork } from './work.js';
import { hex8 } from './c-format.js';
import { sha256d } from '../../stratum/sha256d.js';
import { meetsDifficulty } from '../../stratum/difficulty.js';

/** What a session needs from the miner that owns it. */
export interface SessionContext {
  options: ResolvedMinerOptions;
  /** 0-based; a gpu rig has several sessions, every other profile one. */
  index: number;
  hashrateCap: number;
  logger: Logger;
  clock: Clock;
  scheduler: HashScheduler;
  stats: StatsTracker;
  emit<E extends MinerEventName>(event: E, payload: MinerEventPayload<E>): void;
  console(line: string): void;
}

/** A nonce that met the miner's target, ready to submit. */
export interface FoundShare {
  work: HeaderWork;
  nonce: number;
  /** Version bits as the firmware puts them in the 6th submit param (profiles that roll). */
  versionBits?: number;
  /** The header's nVersion, for the bad-share fault's re-check. */
  version: number;
  shareDifficulty: number;
  targetDifficulty: number;
}

/** The five or six submit params, already formatted as the firmware formats them. */
export interface SubmitFields {
  worker: string;
  jobId: string;
  extranonce2: string;
  ntime: string;
  nonce: string;
  versionBits?: string;
}

/** Submits awaiting an answer per session; past this the oldest is given up (counted unanswered). */
export const MAX_PENDING_SUBMITS = 1024;

export type ReconnectCause = 'connect-failed' | 'disconnected';

interface PendingSubmit {
  jobId: string;
  sentAt: number;
}

/**
 * One session to the pool (TCP, or whatever `options.dial` opens): connecting and reconnecting, bounded line framing, submits and
 * their answers, fault injection, and a slot in the hash scheduler. Each profile subclass owns
 * the firmware's handshake, its reaction to every method and its nonce loop.
 */
export abstract class MinerSession implements HashClient {
  protected readonly log: Logger;
  protected conn: LineTransport | undefined;
  private link: PoolLink | undefined;
  private stopped = false;
  private attempts = 0;
  private lastDisconnectAt: number | undefined;
  private closeReason: string | undefined;
  private readonly connTimers = new Set<TimerHandle>();
  private reconnectTimer: TimerHandle | undefined;
  private readonly pending = new Map<string, PendingSubmit[]>();
  private pendingCount = 0;
  private sharesFound = 0;
  private linesSinceSlowPause = 0;
  private slowResume: TimerHandle | undefined;
  /** Where client.reconnect sent us (profiles that honour host and port); the configured pool otherwise. */
  protected redirect: PoolAddress | undefined;
  /** Job ids the pool has dropped (before a clean job); the stale-share fault reuses them. */
  protected readonly staleJobIds: string[] = [];

  constructor(protected readonly ctx: SessionContext) {
    this.log = ctx.logger.child({ session: ctx.index });
  }

  get hashrateCap(): number {
    return this.ctx.hashrateCap;
  }

  get connected(): boolean {
    return this.conn !== undefined && !this.conn.isClosed;
  }

  get session(): number {
    return this.ctx.index;
  }

  abstract hasWork(): boolean;
  abstract hashBatch(max: number): number;

  /** Sends the firmware's opening lines. */
  protected abstract onConnected(): void;
  /** Reacts to one parsed line as the firmware does. */
  protected abstract onMessage(msg: StratumMessage, line: string): void;
  /** The firmware's submit line for these params. */
  protected abstract formatSubmit(id: number, fields: SubmitFields): string;
  /** The id the firmware puts on its next submit. */
  protected abstract nextSubmitId(): number;

  /** A line that is not valid Stratum; firmware mostly ignores those. */
  protected onUnparsable(_line: string, _error: unknown): void {}
  /** Resets per-connection state after the socket closed. */
  protected onDisconnected(): void {}

  /** Called before each connection attempt. */
  protected onConnectAttempt(): void {}
  /** Called when a connection attempt fails. */
  protected onConnectFailed(_message: string): void {}

  /** Delay before the next connection attempt; by default drawn from the profile's range whatever the cause. */
  protected reconnectDelayMs(_cause: ReconnectCause): number {
    return this.randomReconnectDelay();
  }

  protected randomReconnectDelay(): number {
    const [min, max] = this.ctx.options.timers.reconnectDelayMs;
    return min + (max - min) * this.ctx.options.random();
  }

  start(): void {
    this.ctx.scheduler.add(this);
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.ctx.scheduler.remove(this);
    this.ctx.clock.clearTimeout(this.reconnectTimer);
    this.clearConnTimers();
    const link = this.link;
    if (this.conn !== undefined) this.dropConnection('stopped');
    await link?.destroy();
  }

  protected get worker(): string {
    return this.ctx.options.worker;
  }

  /** Writes one line (a newline is added) and reports it as `tx`. */
  protected send(line: string): boolean {
    if (this.conn === undefined) return false;
    this.log.trace({ tx: line }, 'tx');
    this.ctx.emit('tx', { session: this.ctx.index, line });
    return this.conn.send(line);
  }

  /** Closes this connection on purpose; the profile's reconnect policy follows. */
  protected dropConnection(reason: string): void {
    if (this.conn === undefined) return;
    this.closeReason = reason;
    this.conn.close('local');
  }

  /** A timer that dies with the connection. */
  protected connTimer(ms: number, fn: () => void): TimerHandle {
    const handle = this.ctx.clock.setTimeout(() => {
      this.connTimers.delete(handle);
      fn();
    }, ms);
    this.connTimers.add(handle);
    return handle;
  }

  protected cancelTimer(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    this.ctx.clock.clearTimeout(handle);
    this.connTimers.delete(handle);
  }

  /** Reconnects after `delayMs` (used after a drop and by profiles that follow client.reconnect). */
  protected scheduleReconnect(delayMs: number): void {
    if (this.stopped || this.reconnectTimer !== undefined) return;
    this.reconnectTimer = this.ctx.clock.setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, delayMs);
  }

  /**
   * Sends a found share as the firmware would, applying any fault the options ask for: a bad nonce,
   * a stale job id, a duplicate copy, a malformed line before it.
   */
  protected submitShare(share: FoundShare, formatNonce: (nonce: number) => string = hex8): void {
    if (this.conn === undefined) return;
    this.sharesFound += 1;
    const n = this.sharesFound;
    const f = this.ctx.options.faults;
    const hits = (every: number | undefined): boolean => every !== undefined && n % every === 0;
    let fault: ShareSent['fault'];
    let nonce = share.nonce;
    let jobId = share.work.job.params.jobId;
    if (hits(f.badShareEvery)) {
      nonce = corruptNonce(share);
      fault = 'bad';
    } else if (hits(f.staleShareEvery)) {
      jobId = this.staleJobIds[this.staleJobIds.length - 1] ?? `${jobId}-stale`;
      fault = 'stale';
    }
    if (hits(f.malformedLineEvery))
      this.send(`{"id": ${n}, "method": "mining.submit", "params": ["${this.worker}",`);
    const fields: SubmitFields = {
      worker: this.worker,
      jobId,
      extranonce2: share.work.extranonce2,
      ntime: hex8(share.work.ntime),
      nonce: formatNonce(nonce),
    };
    if (share.versionBits !== undefined) fields.versionBits = hex8(share.versionBits);
    this.sendSubmit(share, fields, fault);
    if (hits(f.duplicateEvery)) this.sendSubmit(share, fields, 'duplicate');
  }

  private sendSubmit(share: FoundShare, fields: SubmitFields, fault: ShareSent['fault']): void {
    const id = this.nextSubmitId();
    if (!this.send(this.formatSubmit(id, fields))) return;
    const key = JSON.stringify(id);
    const queue = this.pending.get(key) ?? [];
    queue.push({ jobId: fields.jobId, sentAt: this.ctx.clock.now() });
    this.pending.set(key, queue);
    this.pendingCount += 1;
    if (this.pendingCount > MAX_PENDING_SUBMITS) this.giveUpOldest();
    this.ctx.stats.sent += 1;
    const sent: ShareSent = {
      session: this.ctx.index,
      id,
      jobId: fields.jobId,
      extranonce2: fields.extranonce2,
      ntime: fields.ntime,
      nonce: fields.nonce,
      shareDifficulty: share.shareDifficulty,
      targetDifficulty: share.targetDifficulty,
    };
    if (fields.versionBits !== undefined) sent.versionBits = fields.versionBits;
    if (fault !== undefined) sent.fault = fault;
    this.ctx.emit('share-sent', sent);
  }

  /**
   * Matches a response to a submit (oldest first for repeated ids, as cpuminer's fixed id 4 needs)
   * and reports it. Returns the verdict, or undefined when the response answers something else.
   */
  protected settleSubmit(
    msg: Response,
  ): { accepted: boolean; code: number | null; message: string } | undefined {
    const key = JSON.stringify(msg.id);
    const queue = this.pending.get(key);
    const entry = queue?.shift();
    if (entry === undefined) return undefined;
    this.pendingCount -= 1;
    if (queue !== undefined && queue.length === 0) this.pending.delete(key);
    const latencyMs = this.ctx.clock.now() - entry.sentAt;
    this.ctx.stats.answered(latencyMs);
    const base = { session: this.ctx.index, id: msg.id, jobId: entry.jobId, latencyMs };
    const err = stratumErrorFromWire(msg.error);
    if (err === null && msg.result === true) {
      this.ctx.stats.accepted += 1;
      this.ctx.emit('share-accepted', base);
      return { accepted: true, code: null, message: '' };
    }
    const code = err?.code ?? null;
    const message = err?.message ?? `result ${JSON.stringify(msg.result)}`;
    this.ctx.stats.reject(code, message);
    this.ctx.emit('share-rejected', { ...base, code, message });
    return { accepted: false, code, message };
  }

  /** A pool that stopped answering: forget the oldest submit so the map stays bounded. */
  private giveUpOldest(): void {
    let oldestKey: string | undefined;
    let oldest = Number.POSITIVE_INFINITY;
    for (const [key, queue] of this.pending) {
      const first = queue[0];
      if (first !== undefined && first.sentAt < oldest) {
        oldest = first.sentAt;
        oldestKey = key;
      }
    }
    if (oldestKey === undefined) return;
    const queue = this.pending.get(oldestKey) as PendingSubmit[];
    queue.shift();
    if (queue.length === 0) this.pending.delete(oldestKey);
    this.pendingCount -= 1;
    this.ctx.stats.unanswered += 1;
  }

  /** Remembers job ids a clean job made stale. */
  protected retireJobIds(ids: Iterable<string>): void {
    for (const id of ids) this.staleJobIds.push(id);
    while (this.staleJobIds.length > 16) this.staleJobIds.shift();
  }

  private connect(): void {
    if (this.stopped) return;
    this.attempts += 1;
    const attempt = this.attempts;
    const target = this.redirect ?? this.ctx.options.pool;
    this.onConnectAttempt();
    const dial = this.ctx.options.dial ?? tcpDialer;
    dial(target).then(
      (link) => this.onLink(link, attempt, target),
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        this.log.debug({ err: message, attempt }, 'connect failed');
        this.ctx.emit('connect-failed', { session: this.ctx.index, message });
        this.onConnectFailed(message);
        this.lastDisconnectAt ??= this.ctx.clock.now();
        this.scheduleReconnect(this.reconnectDelayMs('connect-failed'));
      },
    );
  }

  private onLink(link: PoolLink, attempt: number, target: PoolAddress): void {
    if (this.stopped) {
      void link.destroy();
      return;
    }
    this.link = link;
    const conn = link.transport;
    this.conn = conn;
    this.closeReason = undefined;
    this.linesSinceSlowPause = 0;
    conn.on('line', (line) => this.receive(line));
    conn.on('close', (reason, err) => this.onClose(conn, reason, err));
    this.ctx.stats.connects += 1;
    this.log.debug({ attempt, host: target.host, port: target.port }, 'connected');
    this.ctx.emit('connected', { session: this.ctx.index, attempt });
    if (this.lastDisconnectAt !== undefined) {
      this.ctx.emit('reconnected', {
        session: this.ctx.index,
        attempt,
        afterMs: this.ctx.clock.now() - this.lastDisconnectAt,
      });
      this.lastDisconnectAt = undefined;
    }
    this.onConnected();
  }

  private receive(line: string): void {
    this.log.trace({ rx: line }, 'rx');
    this.ctx.emit('rx', { session: this.ctx.index, line });
    this.slowReaderPause();
    let msg: StratumMessage;
    try {
      msg = parseMessage(line);
    } catch (err) {
      this.onUnparsable(line, err);
      return;
    }
    this.onMessage(msg, line);
  }

  private slowReaderPause(): void {
    const slow = this.ctx.options.faults.slowReader;
    const conn = this.conn;
    if (slow === undefined || conn === undefined) return;
    this.linesSinceSlowPause += 1;
    if (this.linesSinceSlowPause < (slow.everyLines ?? 1)) return;
    this.linesSinceSlowPause = 0;
    conn.pause();
    this.cancelTimer(this.slowResume);
    this.slowResume = this.connTimer(slow.pauseMs, () => {
      this.slowResume = undefined;
      if (!conn.isClosed) conn.resume();
    });
  }

  private onClose(conn: LineTransport, reason: CloseReason, err?: Error): void {
    if (this.conn !== conn) return;
    this.conn = undefined;
    this.link = undefined;
    this.clearConnTimers();
    let unanswered = 0;
    for (const queue of this.pending.values()) unanswered += queue.length;
    this.pending.clear();
    this.pendingCount = 0;
    this.ctx.stats.unanswered += unanswered;
    if (!this.stopped) this.ctx.stats.disconnects += 1;
    const why = this.closeReason ?? (err ? `${reason}: ${err.message}` : reason);
    this.log.debug({ reason: why, unanswered }, 'disconnected');
    this.ctx.emit('disconnected', { session: this.ctx.index, reason: why });
    this.lastDisconnectAt = this.ctx.clock.now();
    this.onDisconnected();
    if (!this.stopped) this.scheduleReconnect(this.reconnectDelayMs('disconnected'));
  }

  private clearConnTimers(): void {
    for (const handle of this.connTimers) this.ctx.clock.clearTimeout(handle);
    this.connTimers.clear();
  }

  /** For subclasses that must accept a redirect: the pool answered client.reconnect with a target. */
  protected followRedirect(host: string | undefined, port: number | undefined): void {
    if (host !== undefined && port !== undefined) this.redirect = { host, port };
  }
}

/** A nonce near the found one whose hash misses the target (the bad-share fault). */
function corruptNonce(share: FoundShare): number {
  for (let flip = 1; flip < 1 << 16; flip += 1) {
    const nonce = (share.nonce ^ flip) >>> 0;
    const header = share.work.header(nonce);
    header.writeUInt32LE(share.version >>> 0, 0);
    if (!meetsDifficulty(sha256d(header), share.targetDifficulty)) return nonce;
  }
  return (share.nonce ^ 1) >>> 0;
}
