import { BenchChild } from '../procs/bench-child.js';
import type { NotifyArrivals, SwarmOptions, SwarmProgress } from '../procs/session-swarm.js';
import type { Distribution } from '../summary.js';
import { distribution } from '../summary.js';
import { stopAll } from './start-children.js';

const FANOUT_TIMEOUT_MS = 30_000;

export interface SwarmPlan {
  /** Sessions to open in all. */
  sessions: number;
  perProcess: number;
  addresses: string[];
  concurrency: number;
  rampTimeoutMs: number;
}

export interface Ramp {
  swarms: BenchChild[];
  ready: number;
  failed: number;
  errors: Record<string, number>;
  seconds: number;
}

/** Miner processes opening `plan.sessions` subscribed, authorized sessions on `port`; resolves once all are ready or failed. */
export async function rampSwarms(
  port: number,
  plan: SwarmPlan,
  children: (BenchChild | undefined)[],
): Promise<Ramp> {
  const processes = Math.ceil(plan.sessions / plan.perProcess);
  const swarms: BenchChild[] = [];
  for (let p = 0; p < processes; p += 1) {
    const firstIndex = p * plan.perProcess;
    const options: SwarmOptions = {
      host: '127.0.0.1',
      port,
      count: Math.min(plan.perProcess, plan.sessions - firstIndex),
      firstIndex,
      localAddresses: plan.addresses,
      concurrency: plan.concurrency,
      deadlineMs: plan.rampTimeoutMs,
    };
    const swarm = await BenchChild.start('miners-proc', options);
    children.push(swarm);
    swarms.push(swarm);
  }
  const start = performance.now();
  const progress = await Promise.all(
    swarms.map((s) => s.call<SwarmProgress>('connect', undefined, plan.rampTimeoutMs + 30_000)),
  );
  const seconds = (performance.now() - start) / 1000;
  const errors: Record<string, number> = {};
  for (const p of progress) for (const [k, v] of Object.entries(p.errors)) errors[k] = (errors[k] ?? 0) + v;
  return {
    swarms,
    ready: progress.reduce((a, p) => a + p.ready, 0),
    failed: progress.reduce((a, p) => a + p.failed, 0),
    errors,
    seconds,
  };
}

export interface FanoutRounds {
  /** Per round: ms from the send to each session seeing the job (p50, p99, max = all reached). */
  rounds: Distribution[];
  /** Sessions a round never reached, summed over the rounds. */
  missing: number;
  /** Over the rounds, the time to the last session (its max: the worst round). */
  allReachedMs: Distribution;
}

/**
 * `count` rounds of one job to every session: the swarms are armed, `send` sends the job and
 * returns when it was sent (wall clock), and each session's arrival is timed from then. Throws
 * when no round reached any session.
 */
export async function fanoutRounds(
  swarms: BenchChild[],
  count: number,
  send: () => Promise<number>,
  afterRound: (round: number, reached: number) => Promise<void> | void = () => undefined,
): Promise<FanoutRounds> {
  const rounds: Distribution[] = [];
  let missing = 0;
  for (let r = 0; r < count; r += 1) {
    await Promise.all(swarms.map((s) => s.call<number>('arm')));
    const sentAt = await send();
    const got = await Promise.all(
      swarms.map((s) =>
        s.call<NotifyArrivals>('collect', { timeoutMs: FANOUT_TIMEOUT_MS }, FANOUT_TIMEOUT_MS + 10_000),
      ),
    );
    const offsets: number[] = [];
    for (const g of got) {
      missing += g.missing;
      for (const t of g.arrivals) offsets.push(t - sentAt);
    }
    if (offsets.length > 0) rounds.push(distribution(offsets));
    await afterRound(r, offsets.length);
    await new Promise((res) => setTimeout(res, 300));
  }
  if (rounds.length === 0) throw new Error('no notify reached any session');
  return { rounds, missing, allReachedMs: distribution(rounds.map((d) => d.max)) };
}

export interface FanoutFloor extends FanoutRounds {
  /** Sessions the stub held. */
  ready: number;
  /** Per round: the stub's own write loop, in ms. */
  loopMs: number[];
}

/**
 * The floor for one notify to N sessions from one Node process: the same miner processes and
 * source addresses against a bare Stratum stub that writes one Buffer to every socket
 * (bench/fanout-stub.ts), in the same run, after the proxy and its sessions are gone.
 */
export async function measureFanoutFloor(plan: SwarmPlan, count: number): Promise<FanoutFloor> {
  const children: (BenchChild | undefined)[] = [];
  try {
    const stub = await BenchChild.start('fanout-proc', {});
    children.push(stub);
    const ramp = await rampSwarms(stub.port, plan, children);
    if (ramp.ready === 0)
      throw new Error(`no session reached the fan-out stub: ${JSON.stringify(ramp.errors)}`);
    const loopMs: number[] = [];
    const rounds = await fanoutRounds(ramp.swarms, count, async () => {
      const { sentAt, loopMs: ms } = await stub.call<{ sentAt: number; loopMs: number }>('broadcast');
      loopMs.push(ms);
      return sentAt;
    });
    return { ready: ramp.ready, ...rounds, loopMs };
  } finally {
    await stopAll(children);
  }
}
