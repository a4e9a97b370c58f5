import { readFile } from 'node:fs/promises';
import { systemClock } from '../../runtime/clock.js';
import {
  DEFAULT_COINBASE_TAG,
  DEFAULT_NBITS,
  DEFAULT_PAYOUT_SCRIPT,
  JobFactory,
} from '../../simulator/pool/index.js';
import { SeenShares, checkShare, parseMessage, prepareJob, sha256d } from '../../stratum/index.js';
import type { PreparedJob, SubmitRequest } from '../../stratum/index.js';
import { LoadClient } from '../load-client.js';
import { BenchChild } from '../procs/bench-child.js';
import { ACCEPT_ALL_DIFFICULTY, BENCH_TRANSACTIONS, UNREACHABLE_DIFFICULTY } from '../procs/configs.js';
import { startPoolChild, startProxyChild, stopAll } from './start-children.js';

export interface ShareRatePlan {
  /** How long each in-process loop runs. */
  loopMs: number;
  /** End to end: connections, submits in flight on each, warm-up and measured time. */
  connections: number;
  window: number;
  warmupMs: number;
  durationMs: number;
}

export interface ShareRateResult {
  plan: ShareRatePlan;
  merkleBranches: number;
  /** checkShare alone on one core (this process), every share accepted. */
  checksPerSecond: number;
  /** parseMessage of the submit line, then checkShare. */
  parseAndCheckPerSecond: number;
  /** The baseline measured in the same run: sha256d of an 80-byte header. */
  headerHashesPerSecond: number;
  /** checkShare costs this many header hashes (1 coinbase + branches + 1 header sha256d, plus the rest). */
  headerHashesPerCheck: number;
  /**
   * CPU per answered submit in the shape ckpool was measured in: CPU_SESSIONS sessions, one submit
   * in flight each, every share checked and refused (low difficulty); the same load through the
   * plain relay (its CPU per answer) as the baseline measured in the same run.
   */
  cpuPerSubmit: {
    sessions: number;
    /** Each session on one extranonce2, the nonce new every share (NerdMiner's way). */
    karoo: CpuPerAnswer;
    /** The same with a new extranonce2 every share: the full check each time (no merkle memo). */
    karooRolling: CpuPerAnswer;
    relay: CpuPerAnswer;
    /** Karoo's µs per answer / the relay's. */
    karooOverRelay: number | null;
  } | null;
  endToEnd: {
    /** Submits answered per second through a Karoo process (all accepted locally, none forwarded). */
    answersPerSecond: number;
    accepted: number;
    answers: number;
    /** CPU the proxy process used meanwhile, in cores (1.0 = one core busy); null off Linux. */
    proxyCores: number | null;
    /** Answers per second per core the proxy used. */
    answersPerProxyCoreSecond: number | null;
  };
}

export interface CpuPerAnswer {
  answers: number;
  /** Answers that were refusals (all of them, by design). */
  refused: number;
  /** CPU of the proxy (or relay) process per answer, µs; null off Linux. */
  cpuMicros: number | null;
}

/** Sessions in the CPU-per-submit shape (the ckpool comparison: 10 x 1 in flight). */
export const CPU_SESSIONS = 10;

/** A mainnet-sized job (12 merkle branches, a real-looking coinbase) as the pool simulator makes it. */
export function benchJob(): PreparedJob {
  const factory = new JobFactory({
    extranonceSize: 8,
    transactions: BENCH_TRANSACTIONS,
    nbits: DEFAULT_NBITS,
    version: '20000000',
    startHeight: 900_000,
    payoutScript: DEFAULT_PAYOUT_SCRIPT,
    coinbaseTag: DEFAULT_COINBASE_TAG,
    clock: systemClock,
  });
  return prepareJob(factory.makeJob('b1', true));
}

/** Runs `step` in batches until `ms` have passed; returns calls per second. */
function timedLoop(ms: number, step: (i: number) => void): number {
  const start = performance.now();
  let i = 0;
  let now = start;
  while (now - start < ms) {
    for (let k = 0; k < 256; k += 1) step(i++);
    now = performance.now();
  }
  return i / ((now - start) / 1000);
}

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

function measureCheck(job: PreparedJob, ms: number): number {
  const seen = new SeenShares();
  const ntime = job.job.ntime;
  const nonces = Array.from({ length: 4096 }, (_, i) => hex8(i));
  let extranonce2 = '';
  return timedLoop(ms, (i) => {
    if ((i & 4095) === 0) extranonce2 = hex8(i >>> 12);
    const verdict = checkShare(
      { worker: 'w', jobId: job.job.jobId, extranonce2, ntime, nonce: nonces[i & 4095] as string },
      {
        job,
        extranonce1: '0a0b0c0d',
        extranonce2Size: 4,
        versionMask: 0,
        difficulty: ACCEPT_ALL_DIFFICULTY,
        seen,
      },
    );
    if (!verdict.ok) throw new Error(`bench share refused: ${verdict.reason}`);
  });
}

function measureParseAndCheck(job: PreparedJob, ms: number): number {
  const seen = new SeenShares();
  const head = `{"id":7,"method":"mining.submit","params":["w","${job.job.jobId}","`;
  const ntime = job.job.ntime;
  return timedLoop(ms, (i) => {
    const line = `${head}${hex8(i >>> 12)}","${ntime}","${hex8(i & 4095)}"]}`;
    const msg = parseMessage(line) as SubmitRequest;
    const verdict = checkShare(msg.params, {
      job,
      extranonce1: '0a0b0c0d',
      extranonce2Size: 4,
      versionMask: 0,
      difficulty: ACCEPT_ALL_DIFFICULTY,
      seen,
    });
    if (!verdict.ok) throw new Error(`bench share refused: ${verdict.reason}`);
  });
}

function measureHeaderHash(ms: number): number {
  const header = Buffer.alloc(80, 7);
  return timedLoop(ms, (i) => {
    header.writeUInt32LE(i >>> 0, 76);
    sha256d(header);
  });
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat; undefined off Linux. */
export async function cpuSeconds(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state (field 3).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100; // USER_HZ is 100 on every Linux Node runs on
  } catch {
    return undefined;
  }
}

async function measureEndToEnd(
  plan: ShareRatePlan,
  log: (line: string) => void,
): Promise<ShareRateResult['endToEnd']> {
  const children: (BenchChild | undefined)[] = [];
  try {
    // The pool's difficulty is out of reach and the miners' accepts everything: every submit is
    // checked and accepted by Karoo, and none is forwarded, so this is Karoo alone.
    const pool = await startPoolChild(UNREACHABLE_DIFFICULTY);
    children.push(pool);
    const proxy = await startProxyChild({ poolPort: pool.port, minerDifficulty: ACCEPT_ALL_DIFFICULTY });
    children.push(proxy);
    log(`share rate: warming up ${plan.connections} x ${plan.window} pipelined submits`);
    const load = await driveLoad(proxy.port, proxy.pid, plan, {
      sessions: plan.connections,
      window: plan.window,
      name: 'load',
    });
    const { answers, accepted } = load;
    const answersPerSecond = answers / (plan.durationMs / 1000);
    const proxyCores = load.cpuSeconds === null ? null : load.cpuSeconds / load.wallSeconds;
    return {
      answersPerSecond,
      accepted,
      answers,
      proxyCores,
      answersPerProxyCoreSecond: proxyCores ? answersPerSecond / proxyCores : null,
    };
  } finally {
    await stopAll(children);
  }
}

interface LoadResult {
  answers: number;
  accepted: number;
  /** CPU the process `pid` used while the load was measured; null off Linux. */
  cpuSeconds: number | null;
  wallSeconds: number;
}

/**
 * `sessions` load clients through `port`, each keeping `window` submits in flight: a warm-up, then
 * the measured stretch, with the CPU the process `pid` (the proxy or the relay) used meanwhile.
 */
async function driveLoad(
  port: number,
  pid: number,
  plan: ShareRatePlan,
  o: { sessions: number; window: number; name: string; rollExtranonce2?: boolean },
): Promise<LoadResult> {
  const clients: LoadClient[] = [];
  try {
    for (let i = 0; i < o.sessions; i += 1) {
      const c = await LoadClient.connect(port);
      clients.push(c);
      await c.handshake(`bench.${o.name}-${i}`, { rollExtranonce2: o.rollExtranonce2 ?? false });
    }
    await Promise.all(clients.map((c) => c.pipeline(o.window, plan.warmupMs)));
    const cpuBefore = await cpuSeconds(pid);
    const started = performance.now();
    const results = await Promise.all(clients.map((c) => c.pipeline(o.window, plan.durationMs)));
    const wallSeconds = (performance.now() - started) / 1000;
    const cpuAfter = await cpuSeconds(pid);
    return {
      answers: results.reduce((a, r) => a + r.answers, 0),
      accepted: results.reduce((a, r) => a + r.accepted, 0),
      cpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? null : cpuAfter - cpuBefore,
      wallSeconds,
    };
  } finally {
    for (const c of clients) c.close();
  }
}

/** CPU per answer of the process `pid`, driving CPU_SESSIONS one-in-flight sessions through `port`. */
async function cpuPerAnswer(
  port: number,
  pid: number,
  plan: ShareRatePlan,
  name: string,
  rollExtranonce2 = false,
): Promise<CpuPerAnswer> {
  const load = await driveLoad(port, pid, plan, { sessions: CPU_SESSIONS, window: 1, name, rollExtranonce2 });
  return {
    answers: load.answers,
    refused: load.answers - load.accepted,
    cpuMicros: load.cpuSeconds === null ? null : (load.cpuSeconds * 1e6) / load.answers,
  };
}

async function measureCpuPerSubmit(
  plan: ShareRatePlan,
  log: (line: string) => void,
): Promise<ShareRateResult['cpuPerSubmit']> {
  const children: (BenchChild | undefined)[] = [];
  try {
    // No share meets the pool's difficulty nor the miners' (pinned to the same): every submit is
    // checked in full and refused, by Karoo at once, through the relay by the pool.
    const pool = await startPoolChild(UNREACHABLE_DIFFICULTY);
    children.push(pool);
    const relay = await BenchChild.start('relay-proc', { host: '127.0.0.1', port: pool.port });
    children.push(relay);
    const proxy = await startProxyChild({
      poolPort: pool.port,
      minerDifficulty: UNREACHABLE_DIFFICULTY,
      rejectBan: false,
    });
    children.push(proxy);
    log(`share rate: CPU per refused submit, ${CPU_SESSIONS} sessions x 1 in flight, Karoo then the relay`);
    const karoo = await cpuPerAnswer(proxy.port, proxy.pid, plan, 'cpu-karoo');
    const karooRolling = await cpuPerAnswer(proxy.port, proxy.pid, plan, 'cpu-karoo-rolling', true);
    const relayed = await cpuPerAnswer(relay.port, relay.pid, plan, 'cpu-relay');
    return {
      sessions: CPU_SESSIONS,
      karoo,
      karooRolling,
      relay: relayed,
      karooOverRelay:
        karoo.cpuMicros !== null && relayed.cpuMicros ? karoo.cpuMicros / relayed.cpuMicros : null,
    };
  } finally {
    await stopAll(children);
  }
}

/** Shares checked per second on one core: the check alone, with parsing, and end to end through Karoo. */
export async function runShareRate(
  plan: ShareRatePlan,
  log: (line: string) => void,
): Promise<ShareRateResult> {
  const job = benchJob();
  log('share rate: checkShare alone');
  measureCheck(job, Math.min(300, plan.loopMs)); // warm up the JIT
  const checksPerSecond = measureCheck(job, plan.loopMs);
  const parseAndCheckPerSecond = measureParseAndCheck(job, plan.loopMs);
  const headerHashesPerSecond = measureHeaderHash(plan.loopMs);
  const endToEnd = await measureEndToEnd(plan, log);
  const cpuPerSubmit = await measureCpuPerSubmit(plan, log);
  return {
    cpuPerSubmit,
    plan,
    merkleBranches: job.branches.length,
    checksPerSecond,
    parseAndCheckPerSecond,
    headerHashesPerSecond,
    headerHashesPerCheck: headerHashesPerSecond / checksPerSecond,
    endToEnd,
  };
}
