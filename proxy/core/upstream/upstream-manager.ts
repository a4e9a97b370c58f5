import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../../runtime/clock.js';
import type { UnknownRequest } from '../../../stratum/index.js';
import type { UpstreamMode, UpstreamTimings } from '../core-options.js';
import { fullJitterDelay } from './backoff.js';
import { decideReconnect } from './reconnect-policy.js';
import type { ReconnectTarget } from './reconnect-policy.js';
import type { DialUpstream, UpstreamJob } from './upstream-connection.js';
import { UpstreamConnection } from './upstream-connection.js';
import type { UpstreamEndpoint } from './upstream-endpoint.js';
import { endpointLabel } from './upstream-endpoint.js';

export type UpstreamState = 'idle' | 'connecting' | 'ready' | 'backoff' | 'stopped';

/** What the manager runs on; reconfigure() replaces any of it live but the dial and the clock. */
export interface UpstreamPolicy {
  endpoints: UpstreamEndpoint[];
  mode: UpstreamMode;
  /** With no miners for this long (on-demand), hang up. */
  idleGraceMs: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  /** While on a backup, how often to check whether the primary is back. */
  primaryProbeMs: number;
  notifyTimeoutMs: number;
  timings: UpstreamTimings;
  userAgent: string;
}

export interface UpstreamManagerDeps {
  dial: DialUpstream;
  logger: Logger;
  clock: Clock;
  random?: () => number;
}

/** A read of the manager for /status and the dashboard. */
export interface UpstreamManagerView {
  state: UpstreamState;
  since: number;
  endpointIndex: number;
  endpoint: UpstreamEndpoint;
  lastError: string | null;
  /** Failed attempts in a row (the backoff exponent). */
  attempt: number;
  /** Dials made since start. */
  dials: number;
  /** When the next dial is due while backing off, else null. */
  nextDialAt: number | null;
}

interface ManagerEvents {
  state: [state: UpstreamState];
  ready: [connection: UpstreamConnection];
  lost: [reason: string];
  job: [job: UpstreamJob];
  difficulty: [difficulty: number];
  extranonce: [extranonce1: string, extranonce2Size: number];
  'version-mask': [mask: number];
  'unknown-notification': [message: UnknownRequest, line: string];
}

/**
 * Decides when the proxy talks to a pool and to which: dials on demand (first miner) or keeps
 * warm, hangs up after a grace period without miners, retries with full-jitter backoff that grows
 * until a session has delivered work for a while, walks the failover list, follows
 * client.reconnect only where the credentials may go, and returns to the primary once it answers.
 */
export class UpstreamManager extends EventEmitter<ManagerEvents> {
  private policy: UpstreamPolicy;
  private state_: UpstreamState = 'idle';
  private since: number;
  private endpointIndex = 0;
  private lastError: string | undefined;
  private connection: UpstreamConnection | undefined;
  private readyAt: number | undefined;
  private healthy = false;
  private demand = 0;
  private attempts = 0;
  private dials = 0;
  private failuresHere = 0;
  private retryTimer: TimerHandle | undefined;
  private nextDialAt: number | undefined;
  private graceTimer: TimerHandle | undefined;
  private probeTimer: TimerHandle | undefined;
  /** Where a followed client.reconnect sent us, used for the next dial of the current endpoint. */
  private redirect: UpstreamEndpoint | undefined;
  private resumeFor: { index: number; sessionId: string } | undefined;
  /** Pools (by label) that left mining.configure unanswered: not asked again. */
  private readonly noConfigure = new Set<string>();
  private readonly readyWaiters = new Set<() => void>();
  /** A session being dialled to replace the one in use (a reload moved the list). */
  private replacing: UpstreamConnection | undefined;
  private readonly log: Logger;
  private readonly random: () => number;

  constructor(
    policy: UpstreamPolicy,
    private readonly deps: UpstreamManagerDeps,
  ) {
    super();
    if (policy.endpoints.length === 0) throw new RangeError('at least one upstream endpoint is needed');
    this.policy = policy;
    this.log = deps.logger.child({ component: 'upstream' });
    this.random = deps.random ?? Math.random;
    this.since = deps.clock.now();
  }

  get state(): UpstreamState {
    return this.state_;
  }

  /** The ready session, if any. */
  get current(): UpstreamConnection | undefined {
    return this.state_ === 'ready' ? this.connection : undefined;
  }

  /** The pool in use or dialled next. */
  get endpoint(): UpstreamEndpoint {
    return this.redirect ?? (this.policy.endpoints[this.endpointIndex] as UpstreamEndpoint);
  }

  view(): UpstreamManagerView {
    return {
      state: this.state_,
      since: this.since,
      endpointIndex: this.endpointIndex,
      endpoint: this.endpoint,
      lastError: this.lastError ?? null,
      attempt: this.attempts,
      dials: this.dials,
      nextDialAt: this.state_ === 'backoff' ? (this.nextDialAt ?? null) : null,
    };
  }

  /** Starts dialling at once in keep-warm mode; on demand waits for the first miner. */
  start(): void {
    if (this.policy.mode === 'keep-warm') this.connectSoon(0);
  }

  /**
   * New settings, live. Backoff, grace and probe apply from the next timer; a mode change dials
   * or arms the hang-up. When the pool in use is no longer what the list says (another primary,
   * new credentials, a backup in use that was removed or changed), the upstream moves over: a
   * session with the list's primary is dialled while the old one keeps serving, then replaces it.
   */
  reconfigure(policy: UpstreamPolicy): void {
    if (policy.endpoints.length === 0) throw new RangeError('at least one upstream endpoint is needed');
    const before = this.policy;
    this.policy = policy;
    const inUse = this.state_ === 'ready' ? this.connection : undefined;
    const stale =
      inUse !== undefined &&
      !sameEndpoint(before.endpoints[this.endpointIndex], policy.endpoints[this.endpointIndex]);
    if (this.endpointIndex >= policy.endpoints.length) this.endpointIndex = 0;
    if (
      this.redirect &&
      !sameEndpoint(before.endpoints[this.endpointIndex], policy.endpoints[this.endpointIndex])
    )
      this.redirect = undefined;
    if (before.primaryProbeMs !== policy.primaryProbeMs && this.probeTimer !== undefined)
      this.startPrimaryProbe();
    if (this.state_ === 'stopped') return;
    if (stale && inUse) void this.moveOver(inUse);
    if (this.wanted()) {
      this.cancelGrace();
      if (this.state_ === 'idle') this.connectSoon(0);
    } else if (this.connection && this.graceTimer === undefined) this.armGrace();
  }

  /**
   * Dials the list's primary while `old` keeps serving; once the new session is ready it takes
   * over (the old one retires with the verdicts it owes). A failed dial leaves the old session in
   * use, with the reason in lastError; the next redial uses the new list anyway.
   */
  private async moveOver(old: UpstreamConnection): Promise<void> {
    if (this.replacing) this.replacing.close('superseded');
    const endpoint = this.policy.endpoints[0] as UpstreamEndpoint;
    const next = this.newConnection(endpoint, undefined);
    this.replacing = next;
    this.dials += 1;
    this.log.info({ endpoint: endpointLabel(endpoint) }, 'upstream list changed: moving over');
    try {
      await next.open();
    } catch (err) {
      if (this.replacing === next) this.replacing = undefined;
      this.lastError = `moving over to ${endpointLabel(endpoint)}: ${err instanceof Error ? err.message : String(err)}`;
      this.log.warn({ err: this.lastError }, 'upstream move-over failed: the old session stays');
      return;
    }
    if (this.replacing !== next || this.connection !== old || this.state_ !== 'ready') {
      if (this.replacing === next) this.replacing = undefined;
      next.close('superseded');
      return;
    }
    this.replacing = undefined;
    this.endpointIndex = 0;
    this.redirect = undefined;
    this.failuresHere = 0;
    this.deps.clock.clearInterval(this.probeTimer);
    this.probeTimer = undefined;
    this.connection = next;
    old.retire('reconfigured');
    this.emit('lost', 'reconfigured');
    this.adopt(next, 0);
  }

  /** The proxy reports how many miners it has; the manager dials or schedules a hang-up. */
  setDemand(miners: number): void {
    const before = this.demand;
    this.demand = miners;
    if (this.state_ === 'stopped') return;
    if (miners > 0) {
      this.cancelGrace();
      if (this.state_ === 'idle') this.connectSoon(0);
    } else if (before > 0 && this.policy.mode === 'on-demand') this.armGrace();
  }

  /** Resolves true once an upstream session is ready, false after `timeoutMs`. */
  waitReady(timeoutMs: number): Promise<boolean> {
    if (this.state_ === 'ready') return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = this.deps.clock.setTimeout(() => {
        this.readyWaiters.delete(onReady);
        resolve(false);
      }, timeoutMs);
      const onReady = (): void => {
        this.deps.clock.clearTimeout(timer);
        resolve(true);
      };
      // A set, not 'ready' listeners: a rack subscribing at once is many waiters.
      this.readyWaiters.add(onReady);
    });
  }

  /** Everything off: the connection, timers; no more dialling. */
  stop(): void {
    this.setState('stopped');
    const { clock } = this.deps;
    clock.clearTimeout(this.retryTimer);
    this.cancelGrace();
    clock.clearInterval(this.probeTimer);
    this.connection?.close('stopping');
    this.connection = undefined;
    this.replacing?.close('stopping');
    this.replacing = undefined;
  }

  /** Read through a call: the state may have changed while a dial was awaited. */
  private isConnecting(): boolean {
    return this.state_ === 'connecting';
  }

  private wanted(): boolean {
    return this.state_ !== 'stopped' && (this.policy.mode === 'keep-warm' || this.demand > 0);
  }

  private armGrace(): void {
    this.cancelGrace();
    this.graceTimer = this.deps.clock.setTimeout(() => this.hangUpIfIdle(), this.policy.idleGraceMs);
  }

  private cancelGrace(): void {
    this.deps.clock.clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
  }

  private connectSoon(delayMs: number): void {
    const { clock } = this.deps;
    clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (delayMs <= 0) {
      void this.connect();
      return;
    }
    this.setState('backoff');
    this.nextDialAt = clock.now() + delayMs;
    this.retryTimer = clock.setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delayMs);
  }

  /** The next delay: full jitter over a ceiling that doubles with each failure in a row. */
  private backoff(): number {
    return fullJitterDelay(this.attempts++, this.policy.backoffMinMs, this.policy.backoffMaxMs, this.random);
  }

  private async connect(): Promise<void> {
    if (!this.wanted()) {
      this.setState('idle');
      return;
    }
    if (this.state_ === 'connecting' || this.state_ === 'ready') return;
    this.setState('connecting');
    const index = this.endpointIndex;
    const endpoint = this.endpoint;
    const resume = this.resumeFor?.index === index ? this.resumeFor.sessionId : undefined;
    const conn = this.newConnection(endpoint, resume);
    this.connection = conn;
    this.dials += 1;
    this.log.info({ endpoint: endpointLabel(endpoint), attempt: this.attempts }, 'dialling upstream');
    try {
      await conn.open();
    } catch (err) {
      const mine = this.connection === conn && this.isConnecting();
      if (this.connection === conn) this.connection = undefined;
      if (mine) this.failed(err instanceof Error ? err.message : String(err));
      return;
    }
    if (!this.isConnecting() || this.connection !== conn) {
      conn.close('superseded');
      return;
    }
    this.adopt(conn, index);
  }

  private newConnection(endpoint: UpstreamEndpoint, resume: string | undefined): UpstreamConnection {
    return new UpstreamConnection({
      endpoint,
      dial: this.deps.dial,
      logger: this.deps.logger,
      clock: this.deps.clock,
      userAgent: this.policy.userAgent,
      timings: this.policy.timings,
      notifyTimeoutMs: this.policy.notifyTimeoutMs,
      ...(resume ? { resumeSessionId: resume } : {}),
      ...(this.noConfigure.has(endpointLabel(endpoint)) ? { skipConfigure: true } : {}),
    });
  }

  /** A session that finished its handshake becomes the one in use. */
  private adopt(conn: UpstreamConnection, index: number): void {
    this.lastError = undefined;
    if (conn.configureUnanswered) this.noConfigure.add(endpointLabel(conn.endpoint));
    this.resumeFor = { index, sessionId: conn.resumeId };
    this.readyAt = this.deps.clock.now();
    this.healthy = false;
    this.wire(conn);
    this.setState('ready');
    this.emit('ready', conn);
    const waiters = [...this.readyWaiters];
    this.readyWaiters.clear();
    for (const wake of waiters) wake();
    for (const job of conn.takeEarlyJobs()) if (this.connection === conn) this.onJob(conn, job);
    if (this.connection !== conn) return;
    if (index !== 0) this.startPrimaryProbe();
    if (!this.wanted() && this.graceTimer === undefined) this.armGrace();
  }

  /** Pool messages pass through while this connection is the one in use. */
  private wire(conn: UpstreamConnection): void {
    const mine = (): boolean => this.connection === conn && this.state_ === 'ready';
    conn.on('job', (job) => mine() && this.onJob(conn, job));
    conn.on('difficulty', (d) => mine() && this.emit('difficulty', d));
    conn.on('extranonce', (en1, size) => {
      if (!mine()) return;
      this.resumeFor = { index: this.endpointIndex, sessionId: conn.resumeId };
      this.emit('extranonce', en1, size);
    });
    conn.on('version-mask', (mask) => mine() && this.emit('version-mask', mask));
    conn.on('unknown-notification', (msg, line) => mine() && this.emit('unknown-notification', msg, line));
    conn.on('reconnect-request', (target) => mine() && this.followReconnect(conn, target));
    conn.on('close', (reason) => {
      if (this.connection !== conn) return;
      this.connection = undefined;
      this.deps.clock.clearInterval(this.probeTimer);
      this.probeTimer = undefined;
      this.lastError = `upstream closed: ${reason}`;
      this.emit('lost', reason);
      if (this.state_ === 'stopped') return;
      this.setState('idle');
      if (this.healthy) {
        this.attempts = 0;
        this.failuresHere = 0;
      } else this.countFailure();
      if (this.wanted()) this.connectSoon(this.backoff());
    });
  }

  /** A session that has delivered work for a while proves the pool sound: the backoff starts over. */
  private onJob(conn: UpstreamConnection, job: UpstreamJob): void {
    if (!this.healthy && this.readyAt !== undefined) {
      if (this.deps.clock.now() - this.readyAt >= this.policy.timings.healthyAfterMs) {
        this.healthy = true;
        this.attempts = 0;
        this.failuresHere = 0;
      }
    }
    if (this.connection === conn) this.emit('job', job);
  }

  private failed(message: string): void {
    this.lastError = message;
    this.log.warn({ endpoint: endpointLabel(this.endpoint), err: message }, 'upstream attempt failed');
    this.countFailure();
    this.setState('idle');
    if (this.wanted()) this.connectSoon(this.backoff());
  }

  /** One more failure on this pool; after `failoverAfter` in a row, the next pool in the list. */
  private countFailure(): void {
    this.failuresHere += 1;
    if (this.failuresHere < this.policy.timings.failoverAfter) return;
    this.failuresHere = 0;
    // With one pool there is nowhere to go: keep its redirect and the session to resume.
    if (this.policy.endpoints.length < 2) return;
    this.redirect = undefined;
    this.endpointIndex = (this.endpointIndex + 1) % this.policy.endpoints.length;
    this.log.warn({ next: endpointLabel(this.endpoint) }, 'failing over to the next upstream');
  }

  /**
   * client.reconnect: go where the pool says (host/port optional) after its wait, if the policy
   * lets the credentials go there; the miners stay. A pool that asks again before its session was
   * healthy is a failing pool: the wait is at least the backoff.
   */
  private followReconnect(conn: UpstreamConnection, target: ReconnectTarget): void {
    const decision = decideReconnect(conn.endpoint, this.policy.endpoints, target);
    if (!decision.follow) {
      this.log.warn({ ...target, reason: decision.reason }, 'client.reconnect refused: staying on this pool');
      return;
    }
    this.log.info(target, 'pool asked us to reconnect');
    if (decision.index === undefined) this.redirect = decision.endpoint;
    else {
      this.redirect = undefined;
      this.endpointIndex = decision.index;
    }
    this.resumeFor = undefined;
    const waitMs = Math.min(Math.max(0, (target.waitSeconds ?? 0) * 1000), 600_000);
    const delay = this.healthy ? ((this.attempts = 0), waitMs) : Math.max(waitMs, this.backoff());
    this.connection = undefined;
    this.deps.clock.clearInterval(this.probeTimer);
    this.probeTimer = undefined;
    conn.retire('client.reconnect');
    this.emit('lost', 'client.reconnect');
    this.setState('idle');
    if (this.wanted()) this.connectSoon(delay);
  }

  private startPrimaryProbe(): void {
    const { clock } = this.deps;
    clock.clearInterval(this.probeTimer);
    this.probeTimer = clock.setInterval(() => void this.probePrimary(), this.policy.primaryProbeMs);
  }

  private async probePrimary(): Promise<void> {
    const primary = this.policy.endpoints[0] as UpstreamEndpoint;
    try {
      const probe = await this.deps.dial(primary);
      probe.destroy();
    } catch {
      return;
    }
    if (this.endpointIndex === 0 || this.state_ === 'stopped' || this.probeTimer === undefined) return;
    this.log.info({ primary: endpointLabel(primary) }, 'primary upstream answers again: returning to it');
    this.deps.clock.clearInterval(this.probeTimer);
    this.probeTimer = undefined;
    const conn = this.connection;
    this.endpointIndex = 0;
    this.failuresHere = 0;
    this.redirect = undefined;
    this.resumeFor = undefined;
    this.connection = undefined;
    conn?.retire('returning-to-primary');
    if (conn) this.emit('lost', 'returning-to-primary');
    this.setState('idle');
    if (this.wanted()) this.connectSoon(0);
  }

  private hangUpIfIdle(): void {
    this.graceTimer = undefined;
    if (this.demand > 0 || this.policy.mode !== 'on-demand' || this.state_ === 'stopped') return;
    this.log.info('no miners: hanging up upstream');
    this.deps.clock.clearTimeout(this.retryTimer);
    this.deps.clock.clearInterval(this.probeTimer);
    this.probeTimer = undefined;
    const conn = this.connection;
    this.connection = undefined;
    conn?.retire('idle');
    if (conn) this.emit('lost', 'idle');
    this.setState('idle');
  }

  private setState(state: UpstreamState): void {
    if (this.state_ === state || this.state_ === 'stopped') return;
    this.state_ = state;
    this.since = this.deps.clock.now();
    this.emit('state', state);
  }
}

/** The same pool with the same settings (every field: address, credentials, TLS, SOCKS). */
function sameEndpoint(a: UpstreamEndpoint | undefined, b: UpstreamEndpoint | undefined): boolean {
  return a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
