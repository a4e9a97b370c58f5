import { readFile } from 'node:fs/promises';
import { perSession } from '../heap-breakdown.js';
import type { HeapShare, HeapTally } from '../heap-breakdown.js';
import { BenchChild, residentBytes } from '../procs/bench-child.js';
import { UNREACHABLE_DIFFICULTY } from '../procs/configs.js';
import type { NotifyArrivals, SwarmOptions, SwarmProgress } from '../procs/session-swarm.js';
import type { Distribution } from '../summary.js';
import { distribution } from '../summary.js';
import { startClusterChild, startPoolChild, startProxyChild, stopAll } from './start-children.js';

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
    /** How long after the ramp `after` was read: until V8 gave back the young generation the ramp grew (bounded). */
    idleAfterMs: number;
    /** (VmRSS after - before) / ready sessions, idle, after a full GC. */
    rssPerSessionBytes: number;
    /** The same one second after the ramp. */
    rssPerSessionAfterRampBytes: number;
    heapPerSessionBytes: number;
  };
  /** Per fan-out: ms from the pool sending the job to each session seeing it (p50, p99, max = all reached). */
  notify: { rounds: Distribution[]; missing: number; allReachedMs: Distribution };
  /** Per round: the proxy's own loop sending the job to every session (encode and write), in ms. */
  broadcastLoopMs: number[];
  /** With `heapBreakdown`: the JS heap each session added, by constructor (heap snapshots). */
  heapPerSession: HeapShare[] | null;
}

/** Headroom for the proxy's own descriptors (listener, upstream, epoll, pipes, IPC). */
const FD_HEADROOM = 256;
const FANOUT_TIMEOUT_MS = 30_000;
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
 * The proxy's memory once idle. A ramp of thousands of sessions a second grows V8's young
 * generation (up to 32 MB per process at Node's defaults) and V8 keeps it until allocation has
 * been low for a few seconds: the first full GC after that gives it back (left alone, V8's memory
 * reducer does the same after about 30 s). Each reading forces a full GC, so this waits until the
 * young generation is back to its size before the sessions, at most IDLE_WAIT_MS. A cluster's
 * workers are not asked (they run with a 4 MB young generation); it is read as it stands.
 */
async function idleMemory(
  proxy: BenchChild,
  cluster: boolean,
  youngBefore: number | undefined,
): Promise<{ memory: MemoryReport; waitedMs: number }> {
  const start = performance.now();
  let memory = await proxyMemory(proxy, cluster);
  while (
    !cluster &&
    youngBefore !== undefined &&
    (memory.young ?? 0) > youngBefore &&
    performance.now() - start < IDLE_WAIT_MS
  ) {
    await new Promise((r) => setTimeout(r, 1000));
    memory = await proxyMemory(proxy, cluster);
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

    const processes = Math.ceil(attempted / perProcess);
    const swarms: BenchChild[] = [];
    for (let p = 0; p < processes; p += 1) {
      const firstIndex = p * perProcess;
      const options: SwarmOptions = {
        host: '127.0.0.1',
        port: proxy.port,
        count: Math.min(perProcess, attempted - firstIndex),
        firstIndex,
        localAddresses: addresses,
        concurrency: plan.concurrency,
        deadlineMs: plan.rampTimeoutMs,
      };
      const swarm = await BenchChild.start('miners-proc', options);
      children.push(swarm);
      swarms.push(swarm);
    }
    log(
      `connections: opening ${attempted} sessions from ${processes} processes and ${addresses.length} addresses`,
    );
    const rampStart = performance.now();
    const progress = await Promise.all(
      swarms.map((s) => s.call<SwarmProgress>('connect', undefined, plan.rampTimeoutMs + 30_000)),
    );
    const rampSeconds = (performance.now() - rampStart) / 1000;
    const ready = progress.reduce((a, p) => a + p.ready, 0);
    const failed = progress.reduce((a, p) => a + p.failed, 0);
    const errors: Record<string, number> = {};
    for (const p of progress) for (const [k, v] of Object.entries(p.errors)) errors[k] = (errors[k] ?? 0) + v;
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

    const rounds: Distribution[] = [];
    const broadcastLoopMs: number[] = [];
    let missing = 0;
    for (let r = 0; r < plan.fanouts; r += 1) {
      await Promise.all(swarms.map((s) => s.call<number>('arm')));
      const { sentAt } = await pool.call<{ sentAt: number }>('new-job');
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
      const loop = await proxy.call<{ ms: number } | null>('last-broadcast');
      if (loop) broadcastLoopMs.push(loop.ms);
      log(`connections: notify ${r + 1}/${plan.fanouts} reached ${offsets.length} sessions`);
      await new Promise((res) => setTimeout(res, 300));
    }
    if (rounds.length === 0) throw new Error('no notify reached any session');
    const closedAfterReady = (await Promise.all(swarms.map((s) => s.call<SwarmProgress>('progress')))).reduce(
      (a, p) => a + p.closedAfterReady,
      0,
    );
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
        idleAfterMs: 1000 + idle.waitedMs,
        rssPerSessionBytes: (after.rss - before.rss) / ready,
        rssPerSessionAfterRampBytes: (afterRamp.rss - before.rss) / ready,
        heapPerSessionBytes: (after.heapUsed - before.heapUsed) / ready,
      },
      notify: { rounds, missing, allReachedMs: distribution(rounds.map((d) => d.max)) },
      broadcastLoopMs,
      heapPerSession,
    };
  } finally {
    await stopAll(children);
  }
}
