import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../runtime/clock.js';
import { StratumError } from '../../stratum/index.js';
import type { AuthorizePolicy, LocalShareResult, MinerView, ProxyCore } from '../core/index.js';
import type { StreamSink } from '../listeners/tcp-listener.js';
import { AuthBackoff, DEFAULT_AUTH_BACKOFF_MAX_MS } from './auth-backoff.js';
import type { BanInfo, RefusalReason } from './ip-limiter.js';
import { IpLimiter } from './ip-limiter.js';
import type { LimitSettings } from './limit-settings.js';
import { RejectRatio } from './reject-ratio.js';
import { ipOfRemote } from './remote-ip.js';
import { workerNameProblem } from './worker-name.js';

/** Why a connection was refused before it became a session. */
export type ConnectionRefusal = RefusalReason | 'max-clients';

export interface RefusedConnection {
  at: number;
  remote: string;
  ip: string;
  reason: ConnectionRefusal;
  detail: string;
}

/** What earned a ban. */
export type BanKind = 'connection-flood' | 'reject-ratio';

export interface LimitsEvents {
  refused: [refused: RefusedConnection];
  ban: [ban: BanInfo, kind: BanKind];
  'auth-failed': [session: MinerView, reason: string, backoffMs: number];
}

/** Where an admitted stream keeps its address until its close releases it (one listener serves all). */
const ADMITTED_IP = Symbol('karoo.admittedIp');
type AdmittedStream = Duplex & { [ADMITTED_IP]?: string };

/** Bans listed in /status at most. */
export const MAX_LISTED_BANS = 100;

export interface LimitsSnapshot {
  ratelimit: {
    enabled: boolean;
    max_connections_per_ip: number;
    max_connections_per_minute: number;
    ban_duration_seconds: number;
    /** CIDR ranges exempt from the per-IP limits and bans. */
    trusted: string[];
  };
  auth_fail_backoff_ms: number;
  reject_ban: { ratio: number; min_shares: number; seconds: number };
  tracked_ips: number;
  refused: Record<string, number>;
  auth_failures: number;
  bans_total: number;
  banned: { ip: string; until: number; reason: string }[];
}

/** What the limits need of the proxy core. */
type LimitedCore = Pick<ProxyCore, 'minerCount' | 'options' | 'disconnect' | 'on' | 'off'>;

/**
 * The proxy's defences against misbehaving clients, all driven by LimitSettings and changeable
 * live: max clients and per-IP count/rate limits at admission (`gate` wraps a listener's sink),
 * worker-name checks with a doubling backoff on authorize (`authorize`, the core's authorize
 * policy), and a ban when a connection's shares are mostly rejected (once `attach`ed to the core).
 * Line cap, subscribe and idle timeouts live in the core.
 */
export class AbuseLimits extends EventEmitter<LimitsEvents> {
  readonly ips: IpLimiter;
  /** The core's authorize policy: worker names checked, failures back off. */
  readonly authorize: AuthorizePolicy = (miner, user) => this.judgeAuthorize(miner, user);
  private core: LimitedCore | undefined;
  private readonly backoffs = new WeakMap<MinerView, AuthBackoff>();
  private readonly rejects = new WeakMap<MinerView, RejectRatio>();
  private readonly refusedCounts = new Map<string, number>();
  private authFailures = 0;
  private bansTotal = 0;
  private sweepTimer: TimerHandle | undefined;
  private readonly log: Logger;
  private readonly onShare = (s: MinerView, r: LocalShareResult): void => this.judgeShare(s, r);
  /** Every admitted stream's close listener: one function, not a closure (and once-wrapper) each. */
  private readonly releaseOnClose: (this: AdmittedStream) => void;

  constructor(
    private settings: LimitSettings,
    private readonly clock: Clock,
    logger: Logger,
  ) {
    super();
    this.log = logger.child({ component: 'limits' });
    this.ips = new IpLimiter(settings.ip);
    this.startSweep();
    const ips = this.ips;
    this.releaseOnClose = function (this: AdmittedStream) {
      const ip = this[ADMITTED_IP];
      if (ip === undefined) return;
      this[ADMITTED_IP] = undefined;
      ips.release(ip, clock.now());
    };
  }

  /** Watches the core's shares (reject-ratio bans) and its miner count (max clients at admission). */
  attach(core: LimitedCore): void {
    this.core?.off('share', this.onShare);
    this.core = core;
    core.on('share', this.onShare);
  }

  /** A sink for a listener: refuses what the limits forbid, hands the rest to `sink`. */
  gate(sink: StreamSink): StreamSink {
    return { accept: (stream, remote) => this.admit(stream, remote, sink) };
  }

  reconfigure(settings: LimitSettings): void {
    const sweepChanged = settings.cleanupIntervalMs !== this.settings.cleanupIntervalMs;
    this.settings = settings;
    this.ips.reconfigure(settings.ip);
    if (sweepChanged) this.startSweep();
  }

  get current(): LimitSettings {
    return this.settings;
  }

  snapshot(): LimitsSnapshot {
    const now = this.clock.now();
    const { ip, authFailBackoffMs, rejectBan } = this.settings;
    return {
      ratelimit: {
        enabled: ip.enabled,
        max_connections_per_ip: ip.maxConnectionsPerIp,
        max_connections_per_minute: ip.maxConnectionsPerMinute,
        ban_duration_seconds: ip.banDurationMs / 1000,
        trusted: [...this.ips.trusted],
      },
      auth_fail_backoff_ms: authFailBackoffMs,
      reject_ban: {
        ratio: rejectBan.ratio,
        min_shares: rejectBan.minShares,
        seconds: rejectBan.banMs / 1000,
      },
      tracked_ips: this.ips.trackedCount,
      refused: Object.fromEntries(this.refusedCounts),
      auth_failures: this.authFailures,
      bans_total: this.bansTotal,
      banned: this.ips
        .bans(now)
        .slice(-MAX_LISTED_BANS)
        .map((b) => ({ ip: b.ip, until: b.until, reason: b.reason })),
    };
  }

  close(): void {
    this.clock.clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    this.core?.off('share', this.onShare);
    this.core = undefined;
  }

  private admit(stream: Duplex, remote: string | undefined, sink: StreamSink): unknown {
    const at = this.clock.now();
    const ip = ipOfRemote(remote);
    const where = { at, remote: remote ?? ip, ip };
    const maxClients = this.core?.options.maxClients ?? Number.POSITIVE_INFINITY;
    if ((this.core?.minerCount ?? 0) >= maxClients) {
      return this.refuse(stream, {
        ...where,
        reason: 'max-clients',
        detail: `${maxClients} miners connected`,
      });
    }
    const verdict = this.ips.admit(ip, at);
    if (!verdict.ok) {
      if (verdict.ban) this.banned(verdict.ban, 'connection-flood');
      return this.refuse(stream, { ...where, reason: verdict.reason, detail: verdict.detail });
    }
    (stream as AdmittedStream)[ADMITTED_IP] = ip;
    stream.on('close', this.releaseOnClose);
    return sink.accept(stream, remote);
  }

  private refuse(stream: Duplex, refused: RefusedConnection): undefined {
    this.refusedCounts.set(refused.reason, (this.refusedCounts.get(refused.reason) ?? 0) + 1);
    // Debug only: a flood of refusals must not flood the log (bans are logged as warnings).
    this.log.debug(
      { remote: refused.remote, reason: refused.reason, detail: refused.detail },
      'connection refused',
    );
    stream.destroy();
    this.emit('refused', refused);
    return undefined;
  }

  private banned(ban: BanInfo, kind: BanKind): void {
    this.bansTotal += 1;
    this.log.warn(
      { ip: ban.ip, until: new Date(ban.until).toISOString(), reason: ban.reason },
      `banning address: ${kind}`,
    );
    this.emit('ban', ban, kind);
  }

  private judgeAuthorize(session: MinerView, user: string): true | StratumError {
    const now = this.clock.now();
    let backoff = this.backoffs.get(session);
    const wait = backoff?.remaining(now) ?? 0;
    if (wait > 0) {
      return new StratumError(
        'UNAUTHORIZED',
        `too many failed authorizations: retry in ${Math.ceil(wait / 1000)} s`,
      );
    }
    const problem = workerNameProblem(user);
    if (problem === null) {
      backoff?.succeed();
      return true;
    }
    if (!backoff) {
      backoff = new AuthBackoff();
      this.backoffs.set(session, backoff);
    }
    const ms = backoff.fail(now, this.settings.authFailBackoffMs, DEFAULT_AUTH_BACKOFF_MAX_MS);
    this.authFailures += 1;
    session.log.info({ problem, backoffMs: ms }, 'authorize refused');
    this.emit('auth-failed', session, problem, ms);
    return new StratumError('UNAUTHORIZED', problem);
  }

  private judgeShare(session: MinerView, result: LocalShareResult): void {
    // The pool being away is not the miner's fault.
    if (result.reason === 'upstream-down' || session.isClosed) return;
    const { ratio, minShares, banMs } = this.settings.rejectBan;
    if (ratio <= 0) return;
    let tracker = this.rejects.get(session);
    if (!tracker) {
      tracker = new RejectRatio();
      this.rejects.set(session, tracker);
    }
    const bad = tracker.record(result.accepted, { ratio, minShares });
    if (bad === null) return;
    const ip = ipOfRemote(session.remoteAddress);
    const now = this.clock.now();
    const percent = Math.round(bad * 100);
    // A trusted address is disconnected but never banned.
    const ban = banMs > 0 ? this.ips.ban(ip, now, banMs, `${percent}% of shares rejected`) : undefined;
    if (ban) this.banned(ban, 'reject-ratio');
    session.log.warn({ ip, ratio: bad, banMs }, 'too many rejected shares: disconnecting');
    this.core?.disconnect(session.id, `reject ratio ${percent}%`);
  }

  private startSweep(): void {
    this.clock.clearInterval(this.sweepTimer);
    this.sweepTimer = this.clock.setInterval(
      () => this.ips.sweep(this.clock.now()),
      this.settings.cleanupIntervalMs,
    );
  }
}
