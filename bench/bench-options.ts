import { parseArgs } from 'node:util';
import type { ConnectionsPlan } from './suites/connections.js';
import type { DemoLatencyPlan } from './suites/demo-latency.js';
import type { LatencyPlan } from './suites/latency.js';
import type { ShareRatePlan } from './suites/share-rate.js';

export const SUITES = ['latency', 'share-rate', 'connections', 'demo-latency'] as const;
export type SuiteName = (typeof SUITES)[number];

export interface BenchPlan {
  mode: 'quick' | 'full' | 'smoke';
  suites: SuiteName[];
  latency: LatencyPlan;
  shareRate: ShareRatePlan;
  connections: ConnectionsPlan;
  demoLatency: DemoLatencyPlan;
  /** The whole run is stopped after this long, whatever state it is in. */
  deadlineMs: number;
  /** Where the JSON goes. */
  outDir: string | undefined;
}

/** `--quick`: under a minute on a 2-core machine. */
export const QUICK_PLAN: Omit<BenchPlan, 'suites' | 'outDir'> = {
  mode: 'quick',
  latency: { submits: 3000, warmup: 300, block: 50 },
  shareRate: { loopMs: 1000, connections: 4, window: 32, warmupMs: 500, durationMs: 2000 },
  connections: {
    sessions: 2000,
    perProcess: 1000,
    perAddress: 1000,
    concurrency: 200,
    fanouts: 3,
    rampTimeoutMs: 30_000,
  },
  demoLatency: { warmupMs: 5000, measureMs: 12_000 },
  deadlineMs: 120_000,
};

/** The full run asks for the goal's 100k sessions; the open-file limit usually cuts that down. */
export const FULL_PLAN: Omit<BenchPlan, 'suites' | 'outDir'> = {
  mode: 'full',
  latency: { submits: 20_000, warmup: 1000, block: 50 },
  shareRate: { loopMs: 3000, connections: 8, window: 64, warmupMs: 1000, durationMs: 8000 },
  connections: {
    sessions: 100_000,
    perProcess: 9500,
    perAddress: 5000,
    concurrency: 400,
    fanouts: 5,
    rampTimeoutMs: 180_000,
  },
  demoLatency: { warmupMs: 30_000, measureMs: 60_000 },
  deadlineMs: 15 * 60_000,
};

/** `--smoke`: tiny sizes, a few seconds; the test suite runs it to check the bench still works. */
export const SMOKE_PLAN: Omit<BenchPlan, 'suites' | 'outDir'> = {
  mode: 'smoke',
  latency: { submits: 200, warmup: 20, block: 50 },
  shareRate: { loopMs: 200, connections: 2, window: 8, warmupMs: 200, durationMs: 500 },
  connections: {
    sessions: 100,
    perProcess: 50,
    perAddress: 50,
    concurrency: 50,
    fanouts: 1,
    rampTimeoutMs: 20_000,
  },
  demoLatency: { warmupMs: 1000, measureMs: 2000 },
  deadlineMs: 60_000,
};

export class BenchUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchUsageError';
  }
}

export const USAGE =
  'usage: npm run bench -- [--quick | --smoke] [--only latency,share-rate,connections,demo-latency] [--sessions N] [--workers N] [--heap] [--out DIR]';

export function parseBenchArgs(argv: string[]): BenchPlan {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean', default: false },
        smoke: { type: 'boolean', default: false },
        only: { type: 'string' },
        sessions: { type: 'string' },
        workers: { type: 'string' },
        heap: { type: 'boolean', default: false },
        out: { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    throw new BenchUsageError((err as Error).message);
  }
  if (values.quick && values.smoke) throw new BenchUsageError('--quick and --smoke are alternatives');
  const base = values.smoke ? SMOKE_PLAN : values.quick ? QUICK_PLAN : FULL_PLAN;
  const suites = values.only === undefined ? [...SUITES] : values.only.split(',').map((s) => s.trim());
  for (const s of suites) {
    if (!(SUITES as readonly string[]).includes(s))
      throw new BenchUsageError(`--only: unknown suite ${JSON.stringify(s)} (expected ${SUITES.join(', ')})`);
  }
  const connections = { ...base.connections };
  if (values.sessions !== undefined) {
    const n = Number(values.sessions);
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000)
      throw new BenchUsageError(`--sessions: expected an integer from 1 to 1000000, got ${values.sessions}`);
    connections.sessions = n;
  }
  if (values.workers !== undefined) {
    const n = Number(values.workers);
    if (!Number.isInteger(n) || n < 1 || n > 64)
      throw new BenchUsageError(`--workers: expected an integer from 1 to 64, got ${values.workers}`);
    connections.workers = n;
  }
  if (values.heap) connections.heapBreakdown = true;
  if (connections.heapBreakdown && (connections.workers ?? 1) > 1)
    throw new BenchUsageError('--heap measures one proxy process: leave out --workers');
  return { ...base, connections, suites: suites as SuiteName[], outDir: values.out };
}
