import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchUsageError, USAGE, parseBenchArgs } from './bench-options.js';
import type { BenchPlan } from './bench-options.js';
import { machineInfo } from './machine.js';
import { judgeGoals, renderMarkdown } from './report.js';
import type { BenchResults } from './report.js';
import { runConnections } from './suites/connections.js';
import { runDemoLatency } from './suites/demo-latency.js';
import { runLatency } from './suites/latency.js';
import { runShareRate } from './suites/share-rate.js';

/** bench/results in the source tree (this file runs as dist/bench/main.js). */
export const DEFAULT_RESULTS_DIR = fileURLToPath(new URL('../../bench/results/', import.meta.url));

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function run(plan: BenchPlan): Promise<BenchResults> {
  const started = new Date();
  const t0 = performance.now();
  const results: Omit<BenchResults, 'goals' | 'durationSeconds'> = {
    version: 1,
    mode: plan.mode,
    startedAt: started.toISOString(),
    machine: machineInfo(),
  };
  if (plan.suites.includes('latency')) results.latency = await runLatency(plan.latency, log);
  if (plan.suites.includes('share-rate')) results.shareRate = await runShareRate(plan.shareRate, log);
  if (plan.suites.includes('connections')) results.connections = await runConnections(plan.connections, log);
  if (plan.suites.includes('demo-latency')) results.demoLatency = await runDemoLatency(plan.demoLatency, log);
  return { ...results, durationSeconds: (performance.now() - t0) / 1000, goals: judgeGoals(results) };
}

async function save(results: BenchResults, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const text = `${JSON.stringify(results, null, 2)}\n`;
  const file = join(dir, `${stamp}-${results.mode}.json`);
  await writeFile(file, text);
  await writeFile(join(dir, `latest-${results.mode}.json`), text);
  return file;
}

async function main(): Promise<number> {
  let plan: BenchPlan;
  try {
    plan = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof BenchUsageError) {
      process.stderr.write(`bench: ${err.message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  // Children exit when this process does (they watch the IPC channel), so this stops everything.
  const watchdog = setTimeout(() => {
    log(`bench: still running after ${plan.deadlineMs / 1000} s; stopping`);
    process.exit(1);
  }, plan.deadlineMs);
  watchdog.unref();
  const results = await run(plan);
  const file = await save(results, plan.outDir ?? DEFAULT_RESULTS_DIR);
  process.stdout.write(renderMarkdown(results));
  process.stdout.write(`\nJSON: ${file}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    log(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  },
);
