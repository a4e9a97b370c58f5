import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../runtime/usage-error.js';
import { optionsFromFlags } from './pool-command.js';
import { codeOf, connectMiner, findShare, submit } from './test-support/pool-harness.js';
import type { StratumClient } from '../../peers/stratum-client.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'dist/cli/main.js');

describe('optionsFromFlags', () => {
  it('turns command-line strings into pool options', () => {
    const o = optionsFromFlags({
      listen: '0.0.0.0:4444',
      difficulty: '0.001',
      extranonce2Size: '4',
      jobInterval: '5',
      blockInterval: '0',
      allow: 'alice, bob.rig1',
      versionMask: '0x00ffe000',
      http: ':8080',
    });
    expect(o).toMatchObject({
      host: '0.0.0.0',
      port: 4444,
      difficulty: 0.001,
      extranonce2Size: 4,
      jobIntervalSeconds: 5,
      blockIntervalSeconds: 0,
      allowWorkers: ['alice', 'bob.rig1'],
      versionMask: 0x00ffe000,
      http: { host: '127.0.0.1', port: 8080 },
    });
  });

  it('names the flag in every usage error', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ difficulty: 'abc' }, /^--difficulty: expected a number, got "abc"$/],
      [{ extranonce2Size: '9' }, /^--extranonce2-size: /],
      [{ jobInterval: '-1' }, /^--job-interval: /],
      [{ versionMask: 'zz' }, /^--version-mask: expected 1 to 8 hex characters/],
      [{ listen: 'nowhere' }, /^--listen: expected HOST:PORT/],
      [
        { faults: '/nonexistent/faults.yaml' },
        /^--faults \/nonexistent\/faults\.yaml: cannot read \(ENOENT\)$/,
      ],
    ];
    for (const [flags, message] of cases) {
      const call = () => optionsFromFlags({ listen: '127.0.0.1:0', ...flags });
      expect(call).toThrow(UsageError);
      expect(call).toThrow(message);
    }
  });
});

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

describe('karoo pool (built CLI)', () => {
  let child: ChildProcess | undefined;
  let client: StratumClient | undefined;

  afterEach(async () => {
    await client?.close();
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  function run(args: string[]): {
    child: ChildProcess;
    stdout: () => string;
    stderr: () => string;
    exit: Promise<number | null>;
  } {
    const proc = spawn(process.execPath, [MAIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, KAROO_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    return { child: proc, stdout: () => out, stderr: () => err, exit };
  }

  /** The port from "pool listening on ..." (and, with http, once the stats line is out too). */
  function listeningPort(r: Run, withHttp = false): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const check = (): void => {
        const m = /pool listening on stratum\+tcp:\/\/127\.0\.0\.1:(\d+)\n/.exec(r.stdout());
        if (m && (!withHttp || /pool stats on http:\/\/127\.0\.0\.1:\d+\/stats\n/.test(r.stdout()))) {
          resolve(Number(m[1]));
        }
      };
      r.child.stdout?.on('data', check);
      void r.exit.then((code) => reject(new Error(`exited ${code}: ${r.stderr()}`)));
    });
  }

  it('prints where it listens, serves miners and /stats, and exits 0 on SIGINT', async () => {
    const r = run(['pool', '--listen', '127.0.0.1:0', '--http', '127.0.0.1:0', '--difficulty', '0.000001']);
    child = r.child;
    const port = await listeningPort(r, true);
    expect(port).toBeGreaterThan(0);
    const miner = await connectMiner(port, { worker: 'cli.worker' });
    client = miner.client;
    expect(miner.difficulty).toBe(0.000001);
    expect(codeOf(await submit(miner, findShare(miner)))).toBeNull();
    const statsUrl = /pool stats on (\S+)/.exec(r.stdout())?.[1] as string;
    const stats = (await (await fetch(statsUrl)).json()) as { workers: Record<string, { accepted: number }> };
    expect(stats.workers['cli.worker']?.accepted).toBe(1);
    r.child.kill('SIGINT');
    expect(await r.exit).toBe(0);
    await miner.client.waitClosed();
  });

  it('arms the faults of a --faults scenario file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'karoo-pool-cli-'));
    try {
      const file = join(dir, 'faults.yaml');
      writeFileSync(
        file,
        'faults:\n  - { action: garbage, target: each, at: 0.05, text: from-the-scenario }\n',
      );
      const r = run(['pool', '--listen', '127.0.0.1:0', '--faults', file]);
      child = r.child;
      const port = await listeningPort(r);
      const miner = await connectMiner(port);
      client = miner.client;
      await miner.client.line('scenario garbage', (line) => line.line === 'from-the-scenario');
      r.child.kill('SIGTERM');
      expect(await r.exit).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 with one line naming the flag on bad input', async () => {
    const r = run(['pool', '--listen', '127.0.0.1:0', '--extranonce1-size', '0']);
    child = r.child;
    expect(await r.exit).toBe(2);
    expect(r.stderr()).toMatch(/^karoo: --extranonce1-size: .*got 0\n$/);
    expect(r.stdout()).toBe('');
  });
});
