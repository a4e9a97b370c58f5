import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_POOL_DIFFICULTY, DEMO_RACK, DEMO_RACK_USER, demoProxyConfig } from '../../cli/demo-config.js';
import { SseParser } from '../../proxy/api/sse-parser.js';
import { CliChild } from '../cli-child.js';

export interface DemoLatencyPlan {
  /** Time for the rack to connect and vardiff to start moving before measuring. */
  warmupMs: number;
  /** How long forwarded shares' latencies are collected in each setup. */
  measureMs: number;
}

/** One setup's figures, as the dashboard shows them (GET /status, GET /events of the proxy). */
export interface DemoRun {
  setup: 'in-process' | 'separate-processes';
  /** Forwarded shares whose pool answer was timed (`pool-share` events). */
  forwarded: number;
  p50Ms: number | null;
  p95Ms: number | null;
  meanMs: number | null;
  poolDifficulty: number | null;
  /** Each worker's difficulty at the end. */
  miners: { worker: string; difficulty: number | null }[];
  /** Workers whose difficulty equals the pool's (the demo wants none). */
  atPoolDifficulty: number;
}

export interface DemoLatencyResult {
  plan: DemoLatencyPlan;
  inProcess: DemoRun;
  separate: DemoRun;
  /** in-process p50 / separate p50 (means when a p50 is 0 ms: latencies are whole ms). */
  ratio: number | null;
  ratioOf: 'p50' | 'mean';
}

type Log = (line: string) => void;

/**
 * The demo (`karoo start`: pool and proxy in one process, the rack in worker threads) against
 * the same pool, proxy config and rack run as three processes (`karoo pool`, `karoo proxy`,
 * `karoo miners`), one after the other in the same run: the p50 pool round trip of forwarded
 * shares the dashboard shows, and each miner's difficulty against the pool's.
 */
export async function runDemoLatency(plan: DemoLatencyPlan, log: Log): Promise<DemoLatencyResult> {
  log('demo latency: karoo start (pool and proxy in one process, rack in worker threads)');
  const inProcess = await measureInProcess(plan);
  log('demo latency: karoo pool, karoo proxy and karoo miners as separate processes');
  const separate = await measureSeparate(plan);
  const byP50 =
    inProcess.p50Ms !== null && separate.p50Ms !== null && separate.p50Ms > 0 && inProcess.p50Ms > 0;
  const ratio = byP50
    ? (inProcess.p50Ms as number) / (separate.p50Ms as number)
    : inProcess.meanMs !== null && separate.meanMs !== null && separate.meanMs > 0
      ? inProcess.meanMs / separate.meanMs
      : null;
  return { plan, inProcess, separate, ratio, ratioOf: byP50 ? 'p50' : 'mean' };
}

async function measureInProcess(plan: DemoLatencyPlan): Promise<DemoRun> {
  const seconds = Math.ceil((plan.warmupMs + plan.measureMs) / 1000) + 60;
  const { child, match } = await CliChild.start(
    'karoo start',
    ['start', '--plain', '--duration', String(seconds), '--interval', '3600'].concat([
      '--pool-port',
      '0',
      '--proxy-port',
      '0',
      '--http-port',
      '0',
    ]),
    /http (http:\/\/127\.0\.0\.1:\d+)/,
  );
  try {
    return await measure('in-process', match[1] as string, plan);
  } finally {
    await child.stop();
  }
}

async function measureSeparate(plan: DemoLatencyPlan): Promise<DemoRun> {
  const dir = await mkdtemp(join(tmpdir(), 'karoo-bench-demo-'));
  const children: CliChild[] = [];
  try {
    const d = String(DEMO_POOL_DIFFICULTY);
    const pool = await CliChild.start(
      'karoo pool',
      ['pool', '--listen', '127.0.0.1:0', '--difficulty', d, '--max-difficulty', d],
      /pool listening on stratum\+tcp:\/\/127\.0\.0\.1:(\d+)/,
    );
    children.push(pool.child);
    const config = join(dir, 'karoo.json');
    const poolPort = Number(pool.match[1]);
    await writeFile(
      config,
      JSON.stringify(demoProxyConfig({ poolPort, listen: '127.0.0.1:0', http: '127.0.0.1:0' })),
    );
    const proxy = await CliChild.start(
      'karoo proxy',
      ['proxy', '--config', config],
      /listening on (stratum\+tcp:\/\/\S+) \(http (http:\/\/\S+)\)/,
    );
    children.push(proxy.child);
    const counts = Object.entries(DEMO_RACK).flatMap(([profile, n]) => [`--${profile}`, String(n)]);
    const miners = await CliChild.start(
      'karoo miners',
      ['miners', '--url', proxy.match[1] as string, '--user', DEMO_RACK_USER, ...counts],
      /karoo miners: \d+ miners on/,
      'stderr',
    );
    children.push(miners.child);
    return await measure('separate-processes', proxy.match[2] as string, plan);
  } finally {
    for (const c of children.reverse()) await c.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function measure(setup: DemoRun['setup'], httpUrl: string, plan: DemoLatencyPlan): Promise<DemoRun> {
  await sleep(plan.warmupMs);
  const latencies = await poolShareLatencies(httpUrl, plan.measureMs);
  const status = (await (await fetch(`${httpUrl}/status`)).json()) as {
    upstream: { difficulty: number | null };
    workers: { name: string; difficulty: number | null; connected: boolean }[];
  };
  const poolDifficulty = status.upstream.difficulty;
  const miners = status.workers
    .filter((w) => w.connected)
    .map((w) => ({ worker: w.name, difficulty: w.difficulty }));
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number): number | null =>
    sorted.length === 0 ? null : (sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number);
  return {
    setup,
    forwarded: sorted.length,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    meanMs: sorted.length === 0 ? null : sorted.reduce((a, b) => a + b, 0) / sorted.length,
    poolDifficulty,
    miners,
    atPoolDifficulty: miners.filter((m) => m.difficulty !== null && m.difficulty === poolDifficulty).length,
  };
}

/** `latency_ms` of every `pool-share` event on the proxy's GET /events for `ms`. */
async function poolShareLatencies(httpUrl: string, ms: number): Promise<number[]> {
  const out: number[] = [];
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    const res = await fetch(`${httpUrl}/events`, { signal: controller.signal });
    if (res.body === null) return out;
    const parser = new SseParser();
    const decoder = new TextDecoder();
    for await (const chunk of res.body) {
      for (const message of parser.push(decoder.decode(chunk, { stream: true }))) {
        if (message.event !== 'pool-share') continue;
        const latency = (JSON.parse(message.data) as { latency_ms?: unknown }).latency_ms;
        if (typeof latency === 'number') out.push(latency);
      }
    }
  } catch (err) {
    if (!controller.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
  }
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
