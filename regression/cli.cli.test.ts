import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMiner, findShare, submit } from '../simulator/pool/test-support/pool-harness.js';
import { poolFixture } from '../simulator/pool/test-support/pool-fixture.js';
import type { StratumClient } from '../peers/stratum-client.js';
import { acceptEveryShare } from '../peers/pool-handlers.js';
import { ScriptedPool } from '../peers/scripted-pool.js';
import { KAROO_MAIN, REPO_ROOT } from '../test-support/built-command.js';
import { checkXml } from '../test-support/xml-check.js';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function karoo(
  args: string[],
  onStdout?: (text: string, child: ChildProcessWithoutNullStreams) => void,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [KAROO_MAIN, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, KAROO_LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const fx = poolFixture();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'karoo-regression-cli-'));
});

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('karoo conformance (built CLI)', () => {
  it('passes every check against the pool simulator: exit 0, JSON and JUnit written', async () => {
    const p = await fx.pool();
    // Connections B (version rolling), C (the oversized line) and D (still served?) close in
    // turn while A stays open; the clean-jobs check comes next, so the block is made as D closes.
    let closed = 0;
    p.on('session-close', () => {
      closed += 1;
      if (closed === 3) p.newBlock();
    });
    const json = join(dir, 'report.json');
    const junit = join(dir, 'report.xml');
    const r = await karoo([
      'conformance',
      '--target',
      p.url,
      '--clean-wait',
      '30',
      '--json',
      json,
      '--junit',
      junit,
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('19 checks: 19 pass, 0 fail, 0 skip');
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      summary: unknown;
      checks: { evidence: unknown[] }[];
    };
    expect(report.summary).toEqual({ pass: 19, fail: 0, skip: 0 });
    expect(report.checks.every((c) => c.evidence.length > 0)).toBe(true);
    const xml = readFileSync(junit, 'utf8');
    expect(checkXml(xml)).toBe(true);
    expect(xml).toContain('tests="19" failures="0"');
  }, 120_000);

  it('exits 1 against a pool that accepts every share, printing the evidence of each failure', async () => {
    const broken = fx.trackPool(await acceptAllPool());
    const r = await karoo(['conformance', '--target', `stratum+tcp://127.0.0.1:${broken.port}`]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /^FAIL {2}share\.low-difficulty +difficulty [\d.e-]+: expected error 23, accepted$/m,
    );
    expect(r.stdout).toMatch(/^ +\d+ ms A > \{"id":\d+,"method":"mining.submit"/m);
    expect(r.stdout).toContain('19 checks: 11 pass, 7 fail, 1 skip');
  }, 120_000);

  it.each([
    [['conformance', '--target', 'http://127.0.0.1:3333'], '--target: expected stratum+tcp://HOST:PORT'],
    [
      ['conformance', '--target', 'stratum+tcp://127.0.0.1:3333', '--hash-budget', 'lots'],
      '--hash-budget: expected a number',
    ],
    [
      ['replay', 'no-such.jsonl', '--target', 'stratum+tcp://127.0.0.1:3333'],
      'no-such.jsonl: cannot read (ENOENT)',
    ],
    [
      ['record', '--listen', 'nowhere', '--upstream', 'stratum+tcp://127.0.0.1:1', '--out', '/tmp'],
      '--listen: expected HOST:PORT',
    ],
  ])('%j: one line on stderr, exit 2', async (args, message) => {
    const r = await karoo(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });
});

describe('karoo record and karoo replay (built CLI)', () => {
  it('record writes one file per session until stopped; replay passes it against a fresh pool and fails a broken one', async () => {
    const p = await fx.pool();
    const out = join(dir, 'recorded');
    let client: StratumClient | undefined;
    const rec = await karoo(
      ['record', '--listen', '127.0.0.1:0', '--upstream', p.url, '--out', out],
      (text, child) => {
        const port = /miners connect to stratum\+tcp:\/\/127\.0\.0\.1:(\d+)/.exec(text)?.[1];
        if (port !== undefined && client === undefined) {
          client = {} as StratumClient;
          void (async () => {
            const m = await connectMiner(Number(port), { suggestDifficulty: 1e-6 });
            const share = findShare(m);
            await submit(m, share);
            await submit(m, share);
            await m.client.close();
          })();
        }
        if (/^session .*\.jsonl \(\d+ records\)$/m.test(text)) child.kill('SIGTERM');
      },
    );
    expect(rec.stderr).toBe('');
    expect(rec.status).toBe(0);
    const files = readdirSync(out);
    expect(files).toHaveLength(1);
    const file = join(out, files[0] as string);
    expect(readFileSync(file, 'utf8')).toContain('\\"alice.rig1\\",\\"<redacted>\\"');

    const fresh = await fx.pool();
    const junit = join(dir, 'replay.xml');
    const good = await karoo(['replay', file, '--target', fresh.url, '--junit', junit]);
    expect(good.stdout).toContain('1 recording(s): 1 passed, 0 failed');
    expect(good.status).toBe(0);
    expect(checkXml(readFileSync(junit, 'utf8'))).toBe(true);

    const broken = fx.trackPool(await acceptAllPool());
    const bad = await karoo([
      'replay',
      file,
      '--target',
      `stratum+tcp://127.0.0.1:${broken.port}`,
      '--timeout',
      '3000',
    ]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('expected error 22');
    expect(bad.stdout).toContain('got      result true');
  }, 120_000);
});

describe('karoo replay of the shipped fixtures (built CLI)', () => {
  const FIXTURES = join(REPO_ROOT, 'fixtures/recordings');
  const files = () =>
    readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
      .map((f) => join(FIXTURES, f));

  it('as the README shows it (no --target): each recording against the target its header names, all pass', async () => {
    const r = await karoo(['replay', ...files()]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${files().length} recording(s): ${files().length} passed, 0 failed`);
    for (const f of files()) expect(r.stdout).toMatch(new RegExp(`^PASS  ${f.split('/').pop()} -> `, 'm'));
  }, 120_000);

  it('against a running karoo pool with --pool-http: its timers paused, the marks make its work', async () => {
    const p = await fx.pool({
      http: { host: '127.0.0.1', port: 0 },
      difficulty: 1e-6,
      maxDifficulty: 1e-6,
      jobIntervalSeconds: 30,
      blockIntervalSeconds: 600,
    });
    const pools = files().filter((f) => f.includes('/pool-'));
    const r = await karoo(['replay', ...pools, '--target', p.url, '--pool-http', p.httpUrl as string]);
    expect(r.stdout).toContain(`${pools.length} recording(s): ${pools.length} passed, 0 failed`);
    expect(r.status).toBe(0);
    expect(p.timersPaused).toBe(false);
    expect(p.stats().totals.blocks).toBeGreaterThanOrEqual(pools.length);
  }, 120_000);

  it('a recording whose header names no target, or --pool-http without --target, is a usage error', async () => {
    const bare = join(dir, 'bare.jsonl');
    writeFileSync(
      bare,
      `${JSON.stringify({ format: 'karoo-recording', version: 1, session: 1, started: '2025-01-30T10:00:00.000Z' })}\n`,
    );
    const none = await karoo(['replay', bare]);
    expect(none.status).toBe(2);
    expect(none.stderr).toBe(
      `karoo: ${bare}: its header names no target to start (no target); replay it against a running one with --target\n`,
    );
    const alone = await karoo(['replay', bare, '--pool-http', 'http://127.0.0.1:3380']);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain('--pool-http goes with --target');
  });
});

/** A deliberately broken pool: it accepts every share without looking at it. */
function acceptAllPool(): Promise<ScriptedPool> {
  return ScriptedPool.start({ difficulty: 1e-6, handlers: { 'mining.submit': acceptEveryShare } });
}
