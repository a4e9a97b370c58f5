import { LoadClient } from '../load-client.js';
import type { BenchChild } from '../procs/bench-child.js';
import { BenchChild as Child } from '../procs/bench-child.js';
import { ACCEPT_ALL_DIFFICULTY } from '../procs/configs.js';
import type { Distribution } from '../summary.js';
import { distribution } from '../summary.js';
import { startPoolChild, startProxyChild, stopAll } from './start-children.js';

export const PATHS = ['direct', 'relay', 'karoo'] as const;
export type PathName = (typeof PATHS)[number];

export interface LatencyPlan {
  /** Measured submits per path. */
  submits: number;
  /** Unmeasured submits per path first (JIT, connection warm-up). */
  warmup: number;
  /** The paths take turns this many times, so drift in machine load hits them alike. */
  rounds: number;
}

export interface LatencyResult {
  unit: 'us';
  plan: LatencyPlan;
  /** Round trip of one submit, one in flight, per path. */
  paths: Record<PathName, Distribution>;
  rejected: Record<PathName, number>;
  /** Latency each hop adds over going to the pool directly. */
  added: Record<'relay' | 'karoo', { p50: number; p99: number }>;
  /** Karoo's added p99 over the relay's (the goal: at most 1.2); null when the relay added nothing measurable. */
  karooOverRelayP99: number | null;
  karooOverRelayP50: number | null;
}

/**
 * Submit round trip, one in flight, through three paths to the same pool simulator process:
 * directly, through a plain TCP relay process, and through a Karoo process. Every share is
 * accepted (the pool and Karoo's miners are at an accept-all difficulty), so the pool checks
 * each one and Karoo checks it, answers, and forwards it to the pool too.
 */
export async function runLatency(plan: LatencyPlan, log: (line: string) => void): Promise<LatencyResult> {
  const children: (BenchChild | undefined)[] = [];
  const clients: LoadClient[] = [];
  try {
    const pool = await startPoolChild(ACCEPT_ALL_DIFFICULTY);
    children.push(pool);
    const relay = await Child.start('relay-proc', { host: '127.0.0.1', port: pool.port });
    children.push(relay);
    const proxy = await startProxyChild({ poolPort: pool.port, minerDifficulty: ACCEPT_ALL_DIFFICULTY });
    children.push(proxy);
    const ports: Record<PathName, number> = { direct: pool.port, relay: relay.port, karoo: proxy.port };
    const client = {} as Record<PathName, LoadClient>;
    for (const path of PATHS) {
      const c = await LoadClient.connect(ports[path]);
      clients.push(c);
      await c.handshake(`bench.${path}`);
      client[path] = c;
    }
    const samples: Record<PathName, number[]> = { direct: [], relay: [], karoo: [] };
    const rejected: Record<PathName, number> = { direct: 0, relay: 0, karoo: 0 };
    for (const path of PATHS) for (let i = 0; i < plan.warmup; i += 1) await client[path].roundTrip();
    const perRound = Math.ceil(plan.submits / plan.rounds);
    for (let round = 0; round < plan.rounds; round += 1) {
      // Rotate who goes first, so no path always runs right after another's burst.
      for (let k = 0; k < PATHS.length; k += 1) {
        const path = PATHS[(round + k) % PATHS.length] as PathName;
        for (let i = 0; i < perRound && samples[path].length < plan.submits; i += 1) {
          const rt = await client[path].roundTrip();
          samples[path].push(Number(rt.ns) / 1000);
          if (!rt.accepted) rejected[path] += 1;
        }
      }
      log(`latency: round ${round + 1}/${plan.rounds}`);
    }
    const paths = {
      direct: distribution(samples.direct),
      relay: distribution(samples.relay),
      karoo: distribution(samples.karoo),
    };
    const added = {
      relay: { p50: paths.relay.p50 - paths.direct.p50, p99: paths.relay.p99 - paths.direct.p99 },
      karoo: { p50: paths.karoo.p50 - paths.direct.p50, p99: paths.karoo.p99 - paths.direct.p99 },
    };
    return {
      unit: 'us',
      plan,
      paths,
      rejected,
      added,
      karooOverRelayP99: added.relay.p99 > 0 ? added.karoo.p99 / added.relay.p99 : null,
      karooOverRelayP50: added.relay.p50 > 0 ? added.karoo.p50 / added.relay.p50 : null,
    };
  } finally {
    for (const c of clients) c.close();
    await stopAll(children);
  }
}
