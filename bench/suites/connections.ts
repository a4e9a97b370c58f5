import { readFile } from 'node:fs/promises';
import { perSession } from '../heap-breakdown.js';
import type { HeapShare, HeapTally } from '../heap-breakdown.js';
import type { BenchChild } from '../procs/bench-child.js';
import { residentBytes } from '../procs/bench-child.js';
import { UNREACHABLE_DIFFICULTY } from '../procs/configs.js';
import type { SwarmProgress } from '../procs/session-swarm.js';
import { startClusterChild, startPoolChild, startProxyChild, stopAll } from './start-children.js';
import { fanoutRounds, measureFanoutFloor, rampSwarms } from './swarm-rounds.js';
import type { FanoutFloor, FanoutRounds } from './swarm-rounds.js';

export interface ConnectionsPlan {
  /** Sessions asked for (clamped to what the proxy process's open-file limit allows). */
  sessions: number;
  /** Sessions per miner process (each under its own open-file limit). */
  perProcess: number;
  /** Sessions per source address (127.0.0.2, ...); each address has its own ephemeral ports. */
  perAddress: number;
  /** Handshakes in progress at once per miner process. */
  concurrency: number;
  /** Times one notify is sent to everyone and timed. */
  fanouts: number;
  rampTimeoutMs: number;
  /** Also take a heap snapshot before and after the sessions, and say what each session holds. */
  heapBreakdown?: boolean;
  /** `karoo proxy --workers N` instead of one process (default 1): memory is every process's, summed. */
  workers?: number;
}

interface MemoryReport {
  rss: number;
  heapUsed: number;
  /** One process: V8's young generation as committed (a burst grows it; idle, V8 gives it back). */
  young?: number;
  /** With workers: the processes' private pages summed, plus their shared pages (Node's code) once. */
  machine?: number;
}

export interface ConnectionsResult {
  plan: ConnectionsPlan;
  /** The per-process open-file limit, and the sessions it leaves room for. */
  openFileLimit: number | null;
  attempted: number;
  /** When fewer sessions were attempted than asked, why. */
  limitedBy: string | null;
  ready: number;
  failed: number;
  errors: Record<string, number>;
  closedAfterReady: number;
  minerProcesses: number;
  sourceAddresses: string[];
  rampSeconds: number;
  sessionsPerSecond: number;
  /** Proxy processes measured: 1, or the primary and its workers. */
  proxyProcesses: number;
  proxy: {
    before: MemoryReport;
    /** Once the sessions are idle (see `idleAfterMs`). */
    after: MemoryReport;
    /** One second after the last session became ready: the ramp's young generation still held. */
    afterRamp: MemoryReport;
    /** After the notify rounds, the sessions still open (traffic grows the young generation back). */
    afterNotifies: MemoryReport;
    /** How long after the ramp `after` was read: until V8 gave back the young generation the ramp grew (bounded). */
    idleAfterMs: number;
    /** (VmRSS after - before) / ready sessions, idle, after a full GC. */
    rssPerSessionBytes: number;
    /** The same one second after the ramp. */
    rssPerSessionAfterRampBytes: number;
    /** The same after the notify rounds. */
    rssPerSessionAfterNotifiesBytes: number;
    heapPerSessionBytes: number;
  };
  /** Per fan-out: ms from the pool sending the job to each session seeing it (p50, p99, max = all reached). */
  notify: FanoutRounds;
  /** Per round: the proxy's own loop sending the job to every session (encode and write), in ms. */
  broadcastLoopMs: number[];
  /**
   * One process only: the same number of sessions, the same miner processes, against a bare Node
   * Stratum stub writing one Buffer to every socket (what any Node server pays per session).
   */
  floor: FanoutFloor | null;
  /** With `heapBreakdown`: the JS heap each session added, by constructor (heap snapshots). */
  heapPerSession: HeapShare[] | null;
}

/** Headroom for the proxy's own descriptors (listener, upstream, epoll, pipes, IPC). */
const FD_HEADROOM = 256;
/** How long the idle memory reading waits at most for V8 to give back a ramp's young generation. */
const IDLE_WAIT_MS = 20_000;

/** The soft "Max open files" of this process (children inherit it); null when unknown. */
export async function openFileLimit(): Promise<number | null> {
  try {
    const limits = await readFile('/proc/self/limits', 'utf8');
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
    if (!m) return null;
    return m[1] === 'unlimited' ? null : Number(m[1]);
  } catch {
    return null;
  }
}

/** 127.0.0.2, 127.0.0.3, ...: enough addresses for `sessions` at `perAddress` each (at least two). */
export function sourceAddresses(sessions: number, perAddress: number): string[] {
  const count = Math.min(250, Math.max(2, Math.ceil(sessions / perAddress)));
  return Array.from({ length: count }, (_, i) => `127.0.0.${i + 2}`);
}

async function proxyMemory(proxy: BenchChild, cluster: boolean): Promise<MemoryReport> {
  // A cluster sums its processes' memory itself (each worker's JS heap is its own: not reported).
  if (cluster) {
    const c = await proxy.call<{ rss: number; private: number; shared: number }>('memory');
    return { rss: c.rss, heapUsed: Number.NaN, machine: c.private + c.shared };
  }
  const m = await proxy.call<{ rss: number; heapUsed: number; young: number }>('memory');
  return { rss: (await residentBytes(proxy.pid)) ?? m.rss, heapUsed: m.heapUsed, young: m.young };
}

/**
 * How long a cluster is left idle before its memory is read. Without a forced GC, V8's memory
 * reducer gives back a burst's young generation once allocation has been low for a while: seen
 * here 10-20 s after a ramp in the workers and 20-40 s in the primary (whose young generation the
 * hand-over of every connection grows to Node's default ceiling).
 */
const CLUSTER_SETTLE_MS = 60_000;

/**
 * The proxy's memory once idle. A ramp of thousands of sessions a second grows V8's young
 * generation (up to 32 MB per process at Node's defaults) and V8 keeps it until allocation has
 * been low for a few seconds: the first full GC after that gives it back (left alone, V8's memory
 * reducer does the same after some tens of seconds). One process: each reading forces a full GC,
 * so this waits until the young generation is back to its size before the sessions, then until a
 * second gives back less than 1 MiB, at most IDLE_WAIT_MS in all. A cluster (no forced GC: its workers are the command's own) is read after
 * CLUSTER_SETTLE_MS of quiet.
 */
async function idleMemory(
  proxy: BenchChild,
  cluster: boolean,
  youngBefore: number | undefined,
): Promise<{ memory: MemoryReport; waitedMs: number }> {
  const start = performance.now();
  if (cluster) {
    await new Promise((r) => setTimeout(r, CLUSTER_SETTLE_MS));
    return { memory: await proxyMemory(proxy, cluster), waitedMs: performance.now() - start };
  }
  const waited = (): boolean => performance.now() - start >= IDLE_WAIT_MS;
  const next = async (): Promise<MemoryReport> => {
    await new Promise((r) => setTimeout(r, 1000));
    return proxyMemory(proxy, cluster);
  };
  let memory = await proxyMemory(proxy, cluster);
  while (youngBefore !== undefined && (memory.young ?? 0) > youngBefore && !waited()) memory = await next();
  // Freed pages go back to the system a little after the GC that freed them: read until a second
  // gives back less than 1 MiB.
  for (let later = await next(); !waited(); later = await next()) {
    const gaveBack = memory.rss - later.rss;
    memory = later;
    if (gaveBack < 1024 * 1024) break;
  }
  return { memory, waitedMs: performance.now() - start };
}

/**
 * N subscribed, authorized sessions on one Karoo process (or `--workers N` of them behind one
 * port), from miner processes using several source addresses: the proxy's memory per session, and
 * how long one notify from the pool takes to reach every session.
 */
export async function runConnections(
  plan: ConnectionsPlan,
  log: (line: string) => void,
): Promise<ConnectionsResult> {
  const workers = plan.workers ?? 1;
  const cluster = workers > 1;
  if (cluster && plan.heapBreakdown) throw new Error('--heap takes one proxy process (no --workers)');
  const fdLimit = await openFileLimit();
  const roomPerProcess = fdLimit === null ? plan.sessions : Math.max(1, fdLimit - FD_HEADROOM);
  const room = roomPerProcess * workers;
  const attempted = Math.min(plan.sessions, room);
  const limitedBy =
    attempted < plan.sessions
      ? `the open-file limit (${fdLimit}) of ${workers === 1 ? 'the proxy process' : `each of ${workers} workers`}: one descriptor per session`
      : null;
  const perProcess = Math.min(plan.perProcess, roomPerProcess);
  const addresses = sourceAddresses(attempted, plan.perAddress);
  const children: (BenchChild | undefined)[] = [];
  try {
    const pool = await startPoolChild(UNREACHABLE_DIFFICULTY);
    children.push(pool);
    // Round robin spreads a burst unevenly: each worker may take all (max_clients is shared out per worker).
    const proxyOptions = { poolPort: pool.port, minerDifficulty: 1, maxClients: (attempted + 100) * workers };
    const proxy = cluster
      ? await startClusterChild(proxyOptions, workers)
      : await startProxyChild(proxyOptions, ['--expose-gc']);
    children.push(proxy);
    const before = await proxyMemory(proxy, cluster);
    const tallyBefore = plan.heapBreakdown ? await proxy.call<HeapTally>('heap-tally') : undefined;

    const swarmPlan = {
      sessions: attempted,
      perProcess,
      addresses,
      concurrency: plan.concurrency,
      rampTimeoutMs: plan.rampTimeoutMs,
    };
    log(
      `connections: opening ${attempted} sessions from ${Math.ceil(attempted / perProcess)} processes and ${addresses.length} addresses`,
    );
    const ramp = await rampSwarms(proxy.port, swarmPlan, children);
    const { swarms, ready, failed, errors, seconds: rampSeconds } = ramp;
    const processes = swarms.length;
    log(`connections: ${ready} ready, ${failed} failed in ${rampSeconds.toFixed(1)} s`);
    if (ready === 0) throw new Error(`no session became ready: ${JSON.stringify(errors)}`);

    await new Promise((r) => setTimeout(r, 1000));
    const afterRamp = await proxyMemory(proxy, cluster);
    const idle = await idleMemory(proxy, cluster, before.young);
    const after = idle.memory;
    log(`connections: idle memory read ${(1 + idle.waitedMs / 1000).toFixed(1)} s after the ramp`);
    const heapPerSession =
      tallyBefore === undefined
        ? null
        : perSession(tallyBefore, await proxy.call<HeapTally>('heap-tally', undefined, 120_000), ready);

    const broadcastLoopMs: number[] = [];
    const notify = await fanoutRounds(
      swarms,
      plan.fanouts,
      async () => (await pool.call<{ sentAt: number }>('new-job')).sentAt,
      async (r, reached) => {
        const loop = await proxy.call<{ ms: number } | null>('last-broadcast');
        if (loop) broadcastLoopMs.push(loop.ms);
        log(`connections: notify ${r + 1}/${plan.fanouts} reached ${reached} sessions`);
      },
    );
    // The same sessions after the notifies: what traffic grows back (the write requests of a
    // fan-out are young garbage).
    const afterNotifies = await proxyMemory(proxy, cluster);
    const closedAfterReady = (await Promise.all(swarms.map((s) => s.call<SwarmProgress>('progress')))).reduce(
      (a, p) => a + p.closedAfterReady,
      0,
    );
    // The floor, for one process: the same sessions against a bare Node stub, Karoo gone first.
    let floor: FanoutFloor | null = null;
    if (!cluster) {
      await stopAll(children.splice(0));
      log(`connections: the fan-out floor (a bare Node stub) with ${attempted} sessions`);
      floor = await measureFanoutFloor(swarmPlan, plan.fanouts);
    }
    return {
      plan,
      openFileLimit: fdLimit,
      attempted,
      limitedBy,
      ready,
      failed,
      errors,
      closedAfterReady,
      minerProcesses: processes,
      sourceAddresses: addresses,
      rampSeconds,
      sessionsPerSecond: ready / rampSeconds,
      proxyProcesses: cluster ? workers + 1 : 1,
      proxy: {
        before,
        after,
        afterRamp,
        afterNotifies,
        idleAfterMs: 1000 + idle.waitedMs,
        rssPerSessionBytes: (after.rss - before.rss) / ready,
        rssPerSessionAfterRampBytes: (afterRamp.rss - before.rss) / ready,
        rssPerSessionAfterNotifiesBytes: (afterNotifies.rss - before.rss) / ready,
        heapPerSessionBytes: (after.heapUsed - before.heapUsed) / ready,
      },
      notify,
      broadcastLoopMs,
      floor,
      heapPerSession,
    };
  } finally {
    await stopAll(children);
  }
}
