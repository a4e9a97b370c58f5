import { LoadClient } from '../load-client.js';
import { BenchChild } from '../procs/bench-child.js';
import { ACCEPT_ALL_DIFFICULTY, UNREACHABLE_DIFFICULTY } from '../procs/configs.js';
import type { Distribution } from '../summary.js';
import { distribution } from '../summary.js';
import { startPoolChild, startProxyChild, stopAll } from './start-children.js';

/**
 * `karoo`: every share also meets the pool's difficulty, so Karoo forwards each one (the worst
 * case). `karooLocal`: Karoo in front of a second pool whose difficulty no share meets, so it only
 * checks and answers (the common case: miners' vardiff difficulty is far below the pool's).
 */
export const PATHS = ['direct', 'relay', 'karoo', 'karooLocal'] as const;
export type PathName = (typeof PATHS)[number];

export interface LatencyPlan {
  /** Measured submits per path. */
  submits: number;
  /** Unmeasured submits per path first (JIT, connection warm-up). */
  warmup: number;
  /**
   * The paths take turns, this many submits each, so bursts of load from elsewhere on the machine
   * hit them alike (a p99 is mostly such bursts on a shared machine).
   */
  block: number;
}

export interface LatencyResult {
  unit: 'us';
  plan: LatencyPlan;
  /** Round trip of one submit, one in flight, per path. */
  paths: Record<PathName, Distribution>;
  rejected: Record<PathName, number>;
  /** Latency each hop adds over going to the pool directly. */
  added: Record<'relay' | 'karoo' | 'karooLocal', { p50: number; p99: number }>;
  /** Karoo's added p99 over the relay's (the goal: at most 1.2); null when the relay added nothing measurable. */
  karooOverRelayP99: number | null;
  karooOverRelayP50: number | null;
  /** The same for Karoo when it forwards nothing. */
  karooLocalOverRelayP99: number | null;
}

/**
 * Submit round trip, one in flight, through three paths to the same pool simulator process:
 * directly, through a plain TCP relay process, and through a Karoo process; and through a second
 * Karoo that forwards nothing. Every share is accepted (the pool and Karoo's miners are at an
 * accept-all difficulty), so the pool checks each one, and Karoo checks it, answers, and forwards it.
 */
export async function runLatency(plan: LatencyPlan, log: (line: string) => void): Promise<LatencyResult> {
  const children: (BenchChild | undefined)[] = [];
  const clients: LoadClient[] = [];
  try {
    const pool = await startPoolChild(ACCEPT_ALL_DIFFICULTY);
    children.push(pool);
    const relay = await BenchChild.start('relay-proc', { host: '127.0.0.1', port: pool.port });
    children.push(relay);
    const proxy = await startProxyChild({ poolPort: pool.port, minerDifficulty: ACCEPT_ALL_DIFFICULTY });
    children.push(proxy);
    const hardPool = await startPoolChild(UNREACHABLE_DIFFICULTY);
    children.push(hardPool);
    const localProxy = await startProxyChild({
      poolPort: hardPool.port,
      minerDifficulty: ACCEPT_ALL_DIFFICULTY,
    });
    children.push(localProxy);
    const ports: Record<PathName, number> = {
      direct: pool.port,
      relay: relay.port,
      karoo: proxy.port,
      karooLocal: localProxy.port,
    };
    const client = {} as Record<PathName, LoadClient>;
    for (const path of PATHS) {
      const c = await LoadClient.connect(ports[path]);
      clients.push(c);
      await c.handshake(`bench.${path}`);
      client[path] = c;
    }
    const samples: Record<PathName, number[]> = { direct: [], relay: [], karoo: [], karooLocal: [] };
    const rejected: Record<PathName, number> = { direct: 0, relay: 0, karoo: 0, karooLocal: 0 };
    for (const path of PATHS) for (let i = 0; i < plan.warmup; i += 1) await client[path].roundTrip();
    const turns = Math.ceil(plan.submits / plan.block);
    for (let turn = 0; turn < turns; turn += 1) {
      // Rotate who goes first, so no path always runs right after another's burst.
      for (let k = 0; k < PATHS.length; k += 1) {
        const path = PATHS[(turn + k) % PATHS.length] as PathName;
        for (let i = 0; i < plan.block && samples[path].length < plan.submits; i += 1) {
          const rt = await client[path].roundTrip();
          samples[path].push(Number(rt.ns) / 1000);
          if (!rt.accepted) rejected[path] += 1;
        }
      }
      if ((turn + 1) % Math.ceil(turns / 5) === 0) log(`latency: ${Math.round(((turn + 1) / turns) * 100)}%`);
    }
    const paths = {
      direct: distribution(samples.direct),
      relay: distribution(samples.relay),
      karoo: distribution(samples.karoo),
      karooLocal: distribution(samples.karooLocal),
    };
    const over = (p: PathName) => ({
      p50: paths[p].p50 - paths.direct.p50,
      p99: paths[p].p99 - paths.direct.p99,
    });
    const added = { relay: over('relay'), karoo: over('karoo'), karooLocal: over('karooLocal') };
    const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
    return {
      unit: 'us',
      plan,
      paths,
      rejected,
      added,
      karooOverRelayP99: ratio(added.karoo.p99, added.relay.p99),
      karooOverRelayP50: ratio(added.karoo.p50, added.relay.p50),
      karooLocalOverRelayP99: ratio(added.karooLocal.p99, added.relay.p99),
    };
  } finally {
    for (const c of clients) c.close();
    await stopAll(children);
  }
}
