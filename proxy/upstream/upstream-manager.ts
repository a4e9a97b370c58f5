import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../runtime/clock.js';
import type { SubmitParams, UnknownRequest } from '../../stratum/index.js';
import { fullJitterDelay } from './backoff.js';
import type { PoolVerdict, UpstreamConnectionOptions, UpstreamJob } from './upstream-connection.js';
import { UpstreamConnection } from './upstream-connection.js';
import type { UpstreamEndpoint } from './upstream-endpoint.js';
import { endpointLabel } from './upstream-endpoint.js';

export type UpstreamMode = 'on-demand' | 'keep-warm';
export type UpstreamState = 'idle' | 'connecting' | 'ready' | 'backoff' | 'stopped';

export interface UpstreamManagerOptions {
  endpoints: UpstreamEndpoint[];
  mode: UpstreamMode;
  /** With no miners for this long (on-demand), hang up. */
  idleGraceMs: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  /** Consecutive failures on one endpoint before moving to the next. */
  failoverAfter?: number;
  /** While on a backup, how often to check whether the primary is back. */
  primaryProbeMs?: number;
  dial: (endpoint: UpstreamEndpoint) => Promise<Duplex>;
  logger: Logger;
  clock: Clock;
  random?: () => number;
  userAgent: string;
  connection?: Partial<
    Pick<UpstreamConnectionOptions, 'handshakeTimeoutMs' | 'requestTimeoutMs' | 'notifyTimeoutMs' | 'lineCap'>
  >;
}

export const DEFAULT_FAILOVER_AFTER = 2;
export const DEFAULT_PRIMARY_PROBE_MS = 30_000;

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
 * warm, hangs up after a grace period without miners, retries with full-jitter backoff, walks the
 * failover list, follows client.reconnect, and returns to the primary once it answers again.
 */
export class UpstreamManager extends EventEmitter<ManagerEvents> {
  state: UpstreamState = 'idle';
  /** Index into the endpoint list of the pool in use (or being dialled). */
  endpointIndex = 0;
  /** Why the last attempt or session ended, for /healthz. */
  lastError: string | undefined;
  stateSince: number;
  private connection: UpstreamConnection | undefined;
  private demand = 0;
  private attempts = 0;
  private failuresHere = 0;
  private retryTimer: TimerHandle | undefined;
  private graceTimer: TimerHandle | undefined;
  private probeTimer: TimerHandle | undefined;
  /** Host/port a client.reconnect sent us to, used for the next dial of the current endpoint. */
  private redirect: { host: string; port: number } | undefined;
  private resumeFor: { index: number; extranonce1: string } | undefined;
  private readonly log: Logger;
  private readonly random: () => number;

  constructor(private readonly opts: UpstreamManagerOptions) {
    super();
    if (opts.endpoints.length === 0) throw new RangeError('at least one upstream endpoint is needed');
    this.log = opts.logger.child({ component: 'upstream' });
    this.random = opts.random ?? Math.random;
    this.stateSince = opts.clock.now();
  }

  /** The ready session, if any. */
  get current(): UpstreamConnection | undefined {
    return this.state === 'ready' ? this.connection : undefined;
  }

  get endpoint(): UpstreamEndpoint {
    const base = this.opts.endpoints[this.endpointIndex] as UpstreamEndpoint;
    return this.redirect ? { ...base, ...this.redirect } : base;
  }

  get endpoints(): readonly UpstreamEndpoint[] {
    return this.opts.endpoints;
  }

  /** Starts dialling at once in keep-warm mode; on demand waits for the first miner. */
  start(): void {
    if (this.opts.mode === 'keep-warm') this.connectSoon(0);
  }

  /** The proxy reports how many miners it has; the manager dials or schedules a hang-up. */
  setDemand(miners: number): void {
    const before = this.demand;
    this.demand = miners;
    if (this.state === 'stopped') return;
    if (miners > 0) {
      this.opts.clock.clearTimeout(this.graceTimer);
      this.graceTimer = undefined;
      if (this.state === 'idle') this.connectSoon(0);
    } else if (before > 0 && this.opts.mode === 'on-demand') {
      this.opts.clock.clearTimeout(this.graceTimer);
      this.graceTimer = this.opts.clock.setTimeout(() => this.hangUpIfIdle(), this.opts.idleGraceMs);
    }
  }

  /** Resolves true once an upstream session is ready, false after `timeoutMs`. */
  waitReady(timeoutMs: number): Promise<boolean> {
    if (this.state === 'ready') return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = this.opts.clock.setTimeout(() => {
        this.off('ready', onReady);
        resolve(false);
      }, timeoutMs);
      const onReady = (): void => {
        this.opts.clock.clearTimeout(timer);
        resolve(true);
      };
      this.once('ready', onReady);
    });
  }

  async submit(params: SubmitParams): Promise<PoolVerdict> {
    const conn = this.current;
    if (!conn)
      return { accepted: false, error: { code: 20, message: 'upstream not connected' }, latencyMs: 0 };
    return conn.submit(params);
  }

  /** Everything off: the connection, timers; no more dialling. */
  stop(): void {
    this.setState('stopped');
    const { clock } = this.opts;
    clock.clearTimeout(this.retryTimer);
    clock.clearTimeout(this.graceTimer);
    clock.clearInterval(this.probeTimer);
    this.connection?.close('stopping');
    this.connection = undefined;
  }

  private wanted(): boolean {
    return this.state !== 'stopped' && (this.opts.mode === 'keep-warm' || this.demand > 0);
  }

  private connectSoon(delayMs: number): void {
    const { clock } = this.opts;
    clock.clearTimeout(this.retryTimer);
    if (delayMs <= 0) {
      void this.connect();
      return;
    }
    this.setState('backoff');
    this.retryTimer = clock.setTimeout(() => void this.connect(), delayMs);
  }

  private async connect(): Promise<void> {
    if (!this.wanted()) {
      this.setState('idle');
      return;
    }
    if (this.state === 'connecting' || this.state === 'ready') return;
    this.setState('connecting');
    const index = this.endpointIndex;
    const endpoint = this.endpoint;
    const resume = this.resumeFor?.index === index ? this.resumeFor.extranonce1 : undefined;
    const conn = new UpstreamConnection({
      endpoint,
      dial: this.opts.dial,
      logger: this.opts.logger,
      clock: this.opts.clock,
      userAgent: this.opts.userAgent,
      ...(resume ? { resumeSessionId: resume } : {}),
      ...this.opts.connection,
    });
    this.connection = conn;
    // Jobs can arrive in the same read as the authorize answer: listen before the handshake ends.
    this.forward(conn);
    this.log.info({ endpoint: endpointLabel(endpoint), attempt: this.attempts }, 'dialling upstream');
    try {
      await conn.open();
    } catch (err) {
      if (this.connection === conn) this.connection = undefined;
      this.onFailure(err instanceof Error ? err.message : String(err));
      return;
    }
    if (this.state === 'stopped' || this.connection !== conn) {
      conn.close('superseded');
      return;
    }
    this.attempts = 0;
    this.failuresHere = 0;
    this.lastError = undefined;
    this.resumeFor = { index, extranonce1: conn.extranonce1 };
    this.wire(conn);
    if (this.connection !== conn) return;
    this.setState('ready');
    this.emit('ready', conn);
    if (index !== 0) this.startPrimaryProbe();
    if (!this.wanted() && this.graceTimer === undefined) {
      this.graceTimer = this.opts.clock.setTimeout(() => this.hangUpIfIdle(), this.opts.idleGraceMs);
    }
  }

  /** Pool messages pass through while this connection is the one in use. */
  private forward(conn: UpstreamConnection): void {
    const mine = (): boolean => this.connection === conn;
    conn.on('job', (job) => mine() && this.emit('job', job));
    conn.on('difficulty', (d) => mine() && this.emit('difficulty', d));
    conn.on(
      'extranonce',
      (en1, size) => mine() && this.state === 'ready' && this.emit('extranonce', en1, size),
    );
    conn.on('version-mask', (mask) => mine() && this.emit('version-mask', mask));
    conn.on('unknown-notification', (msg, line) => mine() && this.emit('unknown-notification', msg, line));
  }

  private wire(conn: UpstreamConnection): void {
    conn.on('reconnect-request', (target) => this.followReconnect(conn, target));
    if (!conn.isOpen) {
      this.connection = undefined;
      this.onFailure('closed right after the handshake');
      return;
    }
    conn.on('close', (reason) => {
      if (this.connection !== conn) return;
      this.connection = undefined;
      this.opts.clock.clearInterval(this.probeTimer);
      this.lastError = `upstream closed: ${reason}`;
      this.emit('lost', reason);
      if (this.state === 'stopped') return;
      this.setState('idle');
      if (this.wanted()) {
        this.failuresHere += 1;
        this.connectSoon(
          fullJitterDelay(this.attempts++, this.opts.backoffMinMs, this.opts.backoffMaxMs, this.random),
        );
      }
    });
  }

  private onFailure(message: string): void {
    this.lastError = message;
    this.log.warn({ endpoint: endpointLabel(this.endpoint), err: message }, 'upstream attempt failed');
    this.failuresHere += 1;
    if (this.failuresHere >= (this.opts.failoverAfter ?? DEFAULT_FAILOVER_AFTER)) {
      this.failuresHere = 0;
      this.redirect = undefined;
      this.endpointIndex = (this.endpointIndex + 1) % this.opts.endpoints.length;
      if (this.opts.endpoints.length > 1) {
        this.log.warn({ next: endpointLabel(this.endpoint) }, 'failing over to the next upstream');
      }
    }
    this.setState('idle');
    if (this.wanted()) {
      this.connectSoon(
        fullJitterDelay(this.attempts++, this.opts.backoffMinMs, this.opts.backoffMaxMs, this.random),
      );
    }
  }

  /** client.reconnect: go where the pool says (host/port optional), after its wait; miners stay. */
  private followReconnect(
    conn: UpstreamConnection,
    target: { host?: string; port?: number; waitSeconds?: number },
  ) {
    this.log.info(target, 'pool asked us to reconnect');
    if (target.host !== undefined || target.port !== undefined) {
      this.redirect = { host: target.host ?? this.endpoint.host, port: target.port ?? this.endpoint.port };
    }
    this.resumeFor = undefined;
    const waitMs = Math.min((target.waitSeconds ?? 0) * 1000, 600_000);
    this.connection = undefined;
    conn.retire('client.reconnect');
    this.emit('lost', 'client.reconnect');
    this.setState('idle');
    this.attempts = 0;
    this.connectSoon(waitMs);
  }

  private startPrimaryProbe(): void {
    const { clock } = this.opts;
    clock.clearInterval(this.probeTimer);
    this.probeTimer = clock.setInterval(
      () => void this.probePrimary(),
      this.opts.primaryProbeMs ?? DEFAULT_PRIMARY_PROBE_MS,
    );
  }

  private async probePrimary(): Promise<void> {
    const primary = this.opts.endpoints[0] as UpstreamEndpoint;
    try {
      const stream = await this.opts.dial(primary);
      stream.destroy();
    } catch {
      return;
    }
    if (this.endpointIndex === 0 || this.state === 'stopped') return;
    this.log.info({ primary: endpointLabel(primary) }, 'primary upstream answers again: returning to it');
    this.opts.clock.clearInterval(this.probeTimer);
    const conn = this.connection;
    this.endpointIndex = 0;
    this.failuresHere = 0;
    this.redirect = undefined;
    this.connection = undefined;
    conn?.retire('returning-to-primary');
    this.emit('lost', 'returning-to-primary');
    this.setState('idle');
    this.connectSoon(0);
  }

  private hangUpIfIdle(): void {
    this.graceTimer = undefined;
    if (this.demand > 0 || this.opts.mode !== 'on-demand' || this.state === 'stopped') return;
    this.log.info('no miners: hanging up upstream');
    this.opts.clock.clearTimeout(this.retryTimer);
    this.opts.clock.clearInterval(this.probeTimer);
    const conn = this.connection;
    this.connection = undefined;
    conn?.retire('idle');
    if (conn) this.emit('lost', 'idle');
    this.setState('idle');
  }

  private setState(state: UpstreamState): void {
    if (this.state === state) return;
    if (this.state === 'stopped') return;
    this.state = state;
    this.stateSince = this.opts.clock.now();
    this.emit('state', state);
  }
}
