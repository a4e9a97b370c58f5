import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResults } from './report.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist/bench/main.js');

let out: string;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'karoo-bench-'));
});

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
