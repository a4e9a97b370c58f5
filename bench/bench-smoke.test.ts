import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResults } from './report.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist/bench/main.js');
const SOURCES = ['bench', 'proxy', 'simulator', 'stratum', 'runtime', 'cli'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

let out: string;

beforeAll(() => {
  // `npm test` builds first; a lone `vitest run` may find dist missing or older than the sources.
  const built = statSync(MAIN, { throwIfNoEntry: false });
  const newest = Math.max(...SOURCES.map((d) => newestSource(join(ROOT, d))));
  if (!built || built.mtimeMs < newest) {
    // The demo suite runs the built `karoo` command too, so the whole tree is built.
    try {
      execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe', timeout: 150_000 });
    } catch (err) {
      // tsc still writes its output when another part of the tree has type errors.
      if (!statSync(MAIN, { throwIfNoEntry: false })) throw err;
    }
  }
  out = mkdtempSync(join(tmpdir(), 'karoo-bench-'));
}, 160_000);

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

function runBench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', [MAIN, ...args], { cwd: ROOT, timeout: 90_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the built bench', () => {
  it('runs every suite at smoke size, prints the table and writes the JSON', async () => {
    const { code, stdout, stderr } = await runBench(['--smoke', '--out', out]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('## Karoo benchmark (smoke)');
    for (const heading of [
      '### Submit round trip',
      '### Share checks on one core',
      '### Concurrent miners',
      '### The demo against separate processes',
      '### Goals',
    ])
      expect(stdout).toContain(heading);
    const file = /JSON: (.+\.json)/.exec(stdout)?.[1] as string;
    const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
    expect(JSON.parse(readFileSync(join(out, 'latest-smoke.json'), 'utf8'))).toEqual(results);
    expect(results.machine.node).toBe(process.version);
    for (const path of ['direct', 'relay', 'karoo', 'karooLocal'] as const) {
      expect(results.latency?.paths[path].count).toBe(200);
      expect(results.latency?.rejected[path]).toBe(0);
    }
    expect(results.shareRate?.merkleBranches).toBe(12);
    expect(results.shareRate?.endToEnd.accepted).toBe(results.shareRate?.endToEnd.answers);
    expect(results.shareRate?.endToEnd.answers).toBeGreaterThan(0);
    expect(results.connections).toMatchObject({ attempted: 100, ready: 100, failed: 0, closedAfterReady: 0 });
    expect(results.connections?.notify).toMatchObject({ missing: 0 });
    expect(results.connections?.notify.rounds[0]?.count).toBe(100);
    expect(results.connections?.broadcastLoopMs).toHaveLength(1);
    // Both setups ran the same rack; a few seconds are too short to time forwarded shares reliably.
    for (const run of [results.demoLatency?.inProcess, results.demoLatency?.separate])
      expect(run?.miners.map((m) => m.worker).sort()).toHaveLength(12);
    expect(results.goals.map((g) => g.goal)).toHaveLength(7);
  }, 100_000);

  it('refuses a bad flag with exit code 2 and the usage line', async () => {
    const { code, stderr } = await runBench(['--only', 'nothing']);
    expect(code).toBe(2);
    expect(stderr).toContain('usage: npm run bench');
  });
});
