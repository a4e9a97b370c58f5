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

/**
 * A smoke test of the command, not a benchmark: the smallest run (one suite at smoke size) must
 * print its report and write its JSON. The suites' parts are tested in process (load-client,
 * session-swarm, relay, report); `npm run bench -- --smoke` runs every suite.
 */
describe('the built bench', () => {
  it('runs one suite at smoke size, prints the report and writes the JSON', async () => {
    const { code, stdout, stderr } = await runBench(['--smoke', '--only', 'latency', '--out', out]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('## Karoo benchmark (smoke)');
    expect(stdout).toContain('### Submit round trip');
    expect(stdout).toContain('### Goals');
    expect(stdout).not.toContain('### Concurrent miners');
    const file = /JSON: (.+\.json)/.exec(stdout)?.[1] as string;
    const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
    expect(JSON.parse(readFileSync(join(out, 'latest-smoke.json'), 'utf8'))).toEqual(results);
    expect(results.machine.node).toBe(process.version);
    for (const path of ['direct', 'relay', 'karoo', 'karooLocal'] as const) {
      expect(results.latency?.paths[path].count).toBe(200);
      expect(results.latency?.rejected[path]).toBe(0);
    }
    expect(results.shareRate).toBeUndefined();
    expect(results.connections).toBeUndefined();
    expect(results.demoLatency).toBeUndefined();
  }, 100_000);

  it('--heap: the connection suite says what each session holds, by constructor, from heap snapshots', async () => {
    const { code, stdout, stderr } = await runBench([
      '--smoke',
      '--only',
      'connections',
      '--heap',
      '--out',
      out,
    ]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('JS heap per session by constructor');
    const results = JSON.parse(readFileSync(join(out, 'latest-smoke.json'), 'utf8')) as BenchResults;
    const shares = results.connections?.heapPerSession ?? [];
    // One MinerSession and one socket per session: the snapshots and their difference are real.
    expect(shares.find((s) => s.name === 'MinerSession')?.count).toBe(1);
    expect(shares.find((s) => s.name === 'Socket')?.count).toBeCloseTo(1, 1);
    const total = shares.reduce((a, s) => a + s.bytes, 0);
    expect(total).toBeGreaterThan(0);
  }, 100_000);

  it('refuses a bad flag with exit code 2 and the usage line', async () => {
    const { code, stderr } = await runBench(['--only', 'nothing']);
    expect(code).toBe(2);
    expect(stderr).toContain('usage: npm run bench');
  });
});
