import type { Clock } from '../../runtime/clock.js';
import type {
  Bench,
  BenchCapability,
  BenchKind,
  PoolControl,
  PoolTarget,
  StratumSessionView,
  UpstreamView,
} from '../runner/bench.js';
import { freshExtranonce1 } from './scripted-nerdminer.js';
import type { ScriptedNerdMiner } from './scripted-nerdminer.js';

export type FakeSession = StratumSessionView;

/** How long the fake bench takes to answer, as an HTTP request to the proxy on loopback might. */
export const HTTP_ROUND_TRIP_MS = 5;

export function fakeSession(worker: string): FakeSession {
  return {
    worker,
    remote: '127.0.0.1:50000',
    connected: false,
    connectedAt: null,
    userAgent: 'NerdMinerV2/V1.8.3',
    extranonce1: null,
    difficulty: null,
    accepted: 0,
    rejected: 0,
    poolAccepted: 0,
    poolRejected: 0,
    hashrate: null,
  };
}

export interface FakeBenchOptions {
  kind: BenchKind;
  clock: Clock;
  difficulty?: number;
  /** Proxy mode: after a drop the pool gives the proxy back its extranonce1 (resume), or a new one. */
  resumes?: boolean;
}

/**
 * The bench in memory: a pool whose actions reach the scripted boards as a proxy (re-split:
 * client.reconnect and a disconnect) or the pool itself (direct) would pass them on.
 */
export class FakeBench implements Bench {
  readonly kind: BenchKind;
  readonly stratumUrl = 'stratum+tcp://127.0.0.1:3334';
  readonly proxyUrl: string | undefined;
  readonly capabilities: ReadonlySet<BenchCapability>;
  readonly pool: FakePool | undefined;
  readonly boards: ScriptedNerdMiner[] = [];
  readonly up: UpstreamView = { connected: true, extranonce1: 'aa000001', difficulty: null };
  /** Sessions seen by the bench; `sessions()` shows these. */
  readonly views: FakeSession[] = [];

  constructor(readonly options: FakeBenchOptions) {
    this.kind = options.kind;
    this.proxyUrl = options.kind === 'direct' ? undefined : 'http://127.0.0.1:8080';
    this.capabilities = new Set(options.kind === 'remote-proxy' ? [] : ['pool-control']);
    this.pool = options.kind === 'remote-proxy' ? undefined : new FakePool(this, options.difficulty ?? 2e-5);
  }

  /** As the proxy's GET /status: answered a few milliseconds later. */
  async sessions(): Promise<StratumSessionView[]> {
    await this.roundTrip();
    return this.views.filter((s) => s.connected).map((s) => ({ ...s }));
  }

  async upstream(): Promise<UpstreamView | undefined> {
    await this.roundTrip();
    return this.kind === 'direct' ? undefined : { ...this.up };
  }

  private roundTrip(): Promise<void> {
    return new Promise((resolve) => this.options.clock.setTimeout(resolve, HTTP_ROUND_TRIP_MS));
  }

  async close(): Promise<void> {}
}

export class FakePool implements PoolControl {
  readonly url = 'stratum+tcp://127.0.0.1:3333';
  private current: number;
  private accepted = 1;

  constructor(
    private readonly bench: FakeBench,
    difficulty: number,
  ) {
    this.current = difficulty;
  }

  difficulty(): number {
    return this.current;
  }

  setDifficulty(difficulty: number): void {
    this.current = difficulty;
    for (const b of this.bench.boards) b.difficulty(difficulty);
  }

  connections(): number {
    return this.accepted;
  }

  drop(target: PoolTarget): void {
    if (this.bench.kind === 'direct') {
      for (const b of this.targets(target)) b.disconnected(freshExtranonce1());
      return;
    }
    // The proxy's upstream: it redials; on a new extranonce1 it re-splits and sends NerdMiners away.
    this.accepted++;
    if (this.bench.options.resumes === true) {
      for (const b of this.bench.boards) b.job();
      return;
    }
    this.bench.up.extranonce1 = freshExtranonce1();
    for (const b of this.bench.boards) this.resplit(b);
  }

  sendReconnect(target: PoolTarget): void {
    for (const b of this.targets(target)) {
      if (b.receive('client.reconnect', ['127.0.0.1', 3333, 0]) === 'follow')
        b.disconnected(b.session.extranonce1!);
    }
  }

  sendSetExtranonce(target: PoolTarget): void {
    if (this.bench.kind !== 'direct') {
      for (const b of this.bench.boards) this.resplit(b);
      return;
    }
    for (const b of this.targets(target)) {
      if (b.receive('mining.set_extranonce', [freshExtranonce1(), 4]) === 'ignore') b.minesStale = true;
      b.job();
    }
  }

  private resplit(b: ScriptedNerdMiner): void {
    b.receive('client.reconnect', []);
    b.disconnected(freshExtranonce1());
  }

  private targets(target: PoolTarget): ScriptedNerdMiner[] {
    return this.bench.boards.filter((b) => target === 'all' || b.session.worker === target.worker);
  }
}
