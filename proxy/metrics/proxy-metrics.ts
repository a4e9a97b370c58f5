import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Aggregator, MetricObjectWithValues, MetricValue } from 'prom-client';
import type { Clock } from '../../runtime/clock.js';
import type { CoreSnapshot, LocalShareResult, MinerView, PoolShareResult, ProxyCore } from '../core/index.js';
import type { AbuseLimits, BanKind, RefusedConnection } from '../limits/index.js';
import { BoundedLabels, OTHER_LABEL, reasonLabel } from './bounded-labels.js';

/** Workers with a label of their own; the rest are summed under worker="other". */
export const DEFAULT_MAX_WORKER_LABELS = 100;
/** Distinct values of any reason label. */
export const MAX_REASON_LABELS = 32;
/** Submit-to-answer latency buckets, seconds (loopback pools answer in ms, distant ones in 100s of ms). */
export const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const UPSTREAM_STATES = ['idle', 'connecting', 'ready', 'backoff', 'stopped'];

export interface ProxyMetricsOptions {
  version: string;
  maxWorkerLabels?: number;
  /** Node process metrics (CPU, memory, event loop lag, GC), also `karoo_`-prefixed. Default true. */
  processMetrics?: boolean;
  limits?: AbuseLimits;
}

let sharedProcessRegistry: Registry | undefined;

/**
 * Node process metrics, registered once per process (they install observers that cannot be
 * removed) and appended to every proxy's exposition.
 */
export function processRegistry(): Registry {
  if (!sharedProcessRegistry) {
    sharedProcessRegistry = new Registry();
    collectDefaultMetrics({ register: sharedProcessRegistry, prefix: 'karoo_' });
  }
  return sharedProcessRegistry;
}

interface Listenable {
  on(event: string, fn: (...args: never[]) => void): unknown;
  off(event: string, fn: (...args: never[]) => void): unknown;
}

/**
 * Prometheus metrics for one proxy, in a registry of its own: counters follow the proxy's events,
 * gauges are read from its state at scrape time. Every series is `karoo_`-prefixed; worker and
 * reason labels are bounded.
 */
export class ProxyMetrics {
  readonly registry = new Registry();
  private readonly workers: BoundedLabels;
  private readonly reasons = new BoundedLabels(MAX_REASON_LABELS);
  private readonly detachers: (() => void)[] = [];
  private readonly processMetrics: boolean;
  private snapshotCache: CoreSnapshot | undefined;
  private seenReady: boolean;
  private lastDifficulty: number | undefined;
  private lastNotifyAt: number | undefined;

  constructor(
    private readonly proxy: ProxyCore,
    private readonly clock: Clock,
    options: ProxyMetricsOptions,
  ) {
    this.workers = new BoundedLabels(options.maxWorkerLabels ?? DEFAULT_MAX_WORKER_LABELS);
    this.processMetrics = options.processMetrics !== false;
    this.seenReady = proxy.upstreamState === 'ready';
    const limits = options.limits;

    this.gauge(
      'karoo_info',
      'Karoo proxy build information (always 1).',
      ['version'],
      undefined,
      'first',
    ).set({ version: options.version }, 1);

    // Shares, as answered to miners and as answered by the pool.
    const shares = this.counter(
      'karoo_shares_total',
      'Shares answered to miners by the proxy, by result and reject reason ("none" when accepted).',
      ['result', 'reason'],
    );
    const workerShares = this.counter(
      'karoo_worker_shares_total',
      `Shares answered per worker (the first ${this.workers.max} worker names, the rest as "other").`,
      ['worker', 'result'],
    );
    const acceptedDifficulty = this.counter(
      'karoo_accepted_difficulty_total',
      'Sum of the difficulty of shares the proxy accepted from miners (rate x 2^32 = hashrate).',
    );
    const poolShares = this.counter(
      'karoo_pool_shares_total',
      'Shares forwarded to the pool and answered, by result and reject reason.',
      ['result', 'reason'],
    );
    const poolAccepted = this.counter(
      'karoo_shares_accepted_total',
      'Shares the pool accepted (the Go karoo name; same as karoo_pool_shares_total{result="accepted"}).',
    );
    const poolRejected = this.counter(
      'karoo_shares_rejected_total',
      'Shares the pool rejected (the Go karoo name; same as karoo_pool_shares_total{result="rejected"}).',
    );
    const poolDifficulty = this.counter(
      'karoo_pool_accepted_difficulty_total',
      'Sum of the pool difficulty of shares the pool accepted (rate x 2^32 = credited hashrate).',
    );
    const latency = new Histogram({
      name: 'karoo_submit_latency_seconds',
      help: 'Time from forwarding a share to the pool until its answer.',
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: [this.registry],
    });
    this.on(proxy, 'share', (_s: MinerView, r: LocalShareResult) => {
      const result = r.accepted ? 'accepted' : 'rejected';
      shares.inc({ result, reason: r.accepted ? 'none' : this.reason(r.reason) });
      workerShares.inc({ worker: this.workers.label(r.worker), result });
      if (r.accepted) acceptedDifficulty.inc(r.difficulty);
    });
    this.on(proxy, 'pool-share', (_s: MinerView, r: PoolShareResult) => {
      poolShares.inc({
        result: r.accepted ? 'accepted' : 'rejected',
        reason: r.accepted ? 'none' : this.reason(r.reason),
      });
      if (r.accepted) {
        poolAccepted.inc();
        poolDifficulty.inc(r.difficulty);
      } else poolRejected.inc();
      latency.observe(r.latencyMs / 1000);
    });

    // Workers, read from the proxy's books at scrape time.
    this.gauge(
      'karoo_worker_difficulty',
      'Difficulty currently given to each worker.',
      ['worker'],
      (g) => {
        g.reset();
        for (const [name, w] of Object.entries(this.snapshot().books.local.workers)) {
          // A worker seen first here (no share yet) takes its label slot now.
          if (w.difficulty !== null && this.ownLabel(name)) g.set({ worker: name }, w.difficulty);
        }
      },
      'max',
    );
    this.gauge(
      'karoo_worker_hashrate',
      'Estimated hashrate of each worker, hashes per second, from its accepted shares (10 min window).',
      ['worker'],
      (g) => {
        g.reset();
        const snap = this.snapshot().books.local;
        let other = snap.other?.hashrate ?? 0;
        let others = snap.other !== null;
        for (const [name, w] of Object.entries(snap.workers)) {
          if (this.ownLabel(name)) g.set({ worker: name }, w.hashrate);
          else {
            other += w.hashrate;
            others = true;
          }
        }
        if (others) g.set({ worker: OTHER_LABEL }, other);
      },
    );
    this.gauge('karoo_hashrate', 'Estimated hashrate of all miners, hashes per second.', [], (g) =>
      g.set(this.snapshot().books.local.totals.hashrate),
    );
    const vardiffChanges = this.counter(
      'karoo_vardiff_changes_total',
      'Vardiff difficulty changes, by reason.',
      ['reason'],
    );
    this.on(proxy, 'vardiff', (_s: MinerView, c: { reason: string }) =>
      vardiffChanges.inc({ reason: this.reason(c.reason) }),
    );

    // Connections.
    this.gauge('karoo_clients_active_count', 'Miner connections open now.', [], (g) =>
      g.set(this.snapshot().minerCount),
    );
    const connections = this.counter('karoo_connections_total', 'Miner connections accepted.');
    const disconnects = this.counter('karoo_disconnects_total', 'Miner connections closed, by reason.', [
      'reason',
    ]);
    this.on(proxy, 'connect', () => connections.inc());
    this.on(proxy, 'disconnect', (s: MinerView, reason: string) =>
      disconnects.inc({ reason: this.reason(s.closeReason ?? reason) }),
    );

    // Abuse limits.
    const refused = this.counter(
      'karoo_connections_rejected_total',
      'Connections refused before a session started, by reason (max-clients, per-ip, rate, banned).',
      ['reason'],
    );
    const bans = this.counter(
      'karoo_bans_total',
      'Addresses banned, by cause (connection-flood, reject-ratio).',
      ['kind'],
    );
    const authFailures = this.counter('karoo_authorize_failures_total', 'mining.authorize requests refused.');
    this.gauge('karoo_banned_addresses', 'Addresses banned now.', [], (g) =>
      g.set(limits ? limits.ips.bans(this.clock.now()).length : 0),
    );
    if (limits) {
      this.on(limits, 'refused', (r: RefusedConnection) => refused.inc({ reason: r.reason }));
      this.on(limits, 'ban', (_b: unknown, kind: BanKind) => bans.inc({ kind }));
      this.on(limits, 'auth-failed', () => authFailures.inc());
    }

    // Upstream.
    this.gauge(
      'karoo_upstream_connected',
      "1 while an upstream pool session is ready (with --workers: every worker process's), else 0.",
      [],
      (g) => g.set(this.snapshot().upstream.session ? 1 : 0),
      'min',
    );
    this.gauge(
      'karoo_upstream_state',
      'Upstream sessions in each state (one proxy process: 1 for the current state).',
      ['state'],
      (g) => {
        const current = this.snapshot().upstream.state;
        for (const state of UPSTREAM_STATES) g.set({ state }, current === state ? 1 : 0);
      },
    );
    this.gauge(
      'karoo_upstream_difficulty',
      'The pool difficulty of the upstream session (last known).',
      [],
      (g) => {
        const d = this.snapshot().upstream.session?.difficulty;
        if (d !== undefined && d > 0) this.lastDifficulty = d;
        if (this.lastDifficulty !== undefined) g.set(this.lastDifficulty);
      },
      'max',
    );
    this.gauge(
      'karoo_last_notify_timestamp_seconds',
      'Unix time of the last mining.notify from the pool.',
      [],
      (g) => {
        const at = this.snapshot().upstream.session?.lastNotifyAt;
        if (typeof at === 'number') this.lastNotifyAt = at;
        if (this.lastNotifyAt !== undefined) g.set(this.lastNotifyAt / 1000);
      },
      'max',
    );
    const reconnects = this.counter(
      'karoo_upstream_reconnects_total',
      'Upstream sessions opened after the first (failover, pool restarts, on-demand redials).',
    );
    this.on(proxy, 'upstream', (state: string) => {
      if (state !== 'ready') return;
      if (this.seenReady) reconnects.inc();
      this.seenReady = true;
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text exposition (one consistent snapshot of the proxy's books per scrape). */
  async metrics(): Promise<string> {
    this.snapshotCache = undefined;
    try {
      const own = await this.registry.metrics();
      return this.processMetrics ? `${own}${await processRegistry().metrics()}` : own;
    } finally {
      this.snapshotCache = undefined;
    }
  }

  /**
   * The same series as JSON (prom-client's getMetricsAsJSON), for the primary of `karoo proxy
   * --workers N` to aggregate (AggregatorRegistry: each series by its aggregator, sum by default).
   */
  async metricsJson(): Promise<MetricObjectWithValues<MetricValue<string>>[]> {
    this.snapshotCache = undefined;
    try {
      const own = await this.registry.getMetricsAsJSON();
      return this.processMetrics ? [...own, ...(await processRegistry().getMetricsAsJSON())] : own;
    } finally {
      this.snapshotCache = undefined;
    }
  }

  close(): void {
    for (const off of this.detachers.splice(0)) off();
    this.registry.clear();
  }

  /** One snapshot of the core per scrape (miners left out: the books carry what is exported). */
  private snapshot(): CoreSnapshot {
    this.snapshotCache ??= this.proxy.snapshot({ miners: false });
    return this.snapshotCache;
  }

  /** True when the worker has (or now takes) a label of its own. */
  private ownLabel(name: string): boolean {
    return name !== OTHER_LABEL && this.workers.label(name) === name;
  }

  private reason(text: string | undefined): string {
    return this.reasons.label(reasonLabel(text ?? 'unknown'));
  }

  private counter<L extends string = never>(name: string, help: string, labelNames: L[] = []): Counter<L> {
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge<L extends string = never>(
    name: string,
    help: string,
    labelNames: L[] = [],
    collect?: (gauge: Gauge<L>) => void,
    aggregator: Aggregator = 'sum',
  ): Gauge<L> {
    const gauge: Gauge<L> = new Gauge<L>({
      name,
      help,
      labelNames,
      aggregator,
      registers: [this.registry],
      ...(collect ? { collect: () => collect(gauge) } : {}),
    });
    return gauge;
  }

  private on<A extends unknown[]>(emitter: unknown, event: string, fn: (...args: A) => void): void {
    const e = emitter as Listenable;
    const handler = fn as unknown as (...args: never[]) => void;
    e.on(event, handler);
    this.detachers.push(() => e.off(event, handler));
  }
}
