import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, onTestFinished, test, vi } from 'vitest';
import { PATIENCE } from '../../test-support/patience.js';
import { ScriptedPool } from '../../peers/scripted-pool.js';
import { refusedPort } from '../../test-support/free-ports.js';

/**
 * The built `karoo miners`, for what only the command shows: flags, its output streams, signals
 * and exit codes, against a scripted pool on 127.0.0.1. Its options and JSON lines are proved in
 * process (miners-command.test.ts), the firmware in memory (profiles/*.test.ts).
 */
const ROOT = join(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/cli/main.js');

let pool: ScriptedPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

interface Run {
  code: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
  kill: (signal: NodeJS.Signals) => void;
}

/** Spawned (not spawnSync): the scripted pool lives in this process and must keep answering. */
function karoo(...args: string[]): Run {
  const child = spawn(process.execPath, [MAIN, 'miners', ...args], { cwd: ROOT });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const code = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  // A test that fails or times out must not leave its miners mining into the next test's pool.
  onTestFinished(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await code;
  });
  return { code, stdout: () => out, stderr: () => err, kill: (signal) => child.kill(signal) };
}

const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('karoo miners (built CLI)', () => {
  test('--json: one event per line; SIGINT stops every miner cleanly, the summary of each last, exit 0', async () => {
    pool = await ScriptedPool.start({ difficulty: 3e-5 });
    const run = karoo(
      '--url',
      pool.url,
      '--user',
      'rig',
      '--nerdminer',
      '1',
      '--bitaxe',
      '1',
      '--cpu',
      '1',
      '--gpu',
      '1',
      '--json',
    );
    const workers = ['rig.nerd-01', 'rig.bitaxe-01', 'rig.cpu-01', 'rig.gpu-01'];
    await vi.waitFor(() => {
      for (const w of workers) expect(run.stdout()).toContain(`"event":"job","worker":"${w}"`);
    }, PATIENCE);
    run.kill('SIGINT');
    expect(await run.code).toBe(0);
    const events = jsonLines(run.stdout());
    const summary = events.at(-1) as { event: string; miners?: { worker: string }[] };
    expect(summary.event).toBe('summary');
    expect(summary.miners?.map((m) => m.worker)).toEqual(workers);
    for (const w of workers)
      expect(events.some((e) => e.event === 'subscribed' && e.worker === w)).toBe(true);
    expect(events.some((e) => e.event === 'tx')).toBe(false);
    const p = pool;
    await vi.waitFor(() => expect(p.connections.every((c) => c.closed)).toBe(true), PATIENCE);
  });

  test('--json --wire: console lines as {"line": ...}, tx and rx with their session; SIGTERM exits 0', async () => {
    pool = await ScriptedPool.start({ difficulty: 3e-5 });
    const run = karoo('--url', pool.url, '--nerdminer', '1', '--json', '--wire');
    await vi.waitFor(() => expect(run.stdout()).toContain('"event":"rx"'), PATIENCE);
    run.kill('SIGTERM');
    expect(await run.code).toBe(0);
    const events = jsonLines(run.stdout());
    const consoleLines = events.filter((e) => e.event === 'console');
    expect(consoleLines.map((e) => e.line)).toContain('[WORKER] ==> Mining subscribe');
    for (const e of consoleLines)
      expect(Object.keys(e)).toEqual(['time', 'event', 'worker', 'profile', 'line']);
    expect(events.find((e) => e.event === 'tx')).toMatchObject({
      worker: 'karoo.nerd-01',
      session: 0,
      line: '{"id": 1, "method": "mining.subscribe", "params": ["NerdMinerV2/V1.8.3"]}',
    });
  });

  test('--duration ends the run by itself; without --json the summary is a table', async () => {
    pool = await ScriptedPool.start({ difficulty: 3e-5 });
    const run = karoo('--url', pool.url, '--cpu', '1', '--duration', '0.2');
    expect(await run.code).toBe(0);
    expect(run.stdout()).toMatch(/^worker\s+profile\s+sent\s+accepted\s+rejected/);
    expect(run.stdout()).toMatch(/karoo\.cpu-01\s+cpu/);
    expect(run.stderr()).toContain(`karoo miners: 1 miners on ${pool.url} for 0.2 s`);
  });

  test('a pool that refuses the first connection: one line naming it, exit 1, no endless retries', async () => {
    const port = await refusedPort();
    const run = karoo('--url', `stratum+tcp://127.0.0.1:${port}`, '--cpu', '1', '--nerdminer', '1');
    expect(await run.code).toBe(1);
    expect(run.stderr()).toMatch(
      new RegExp(
        `^karoo miners: cannot connect to stratum\\+tcp://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`,
        'm',
      ),
    );
  });

  test('a bad flag exits 2 with one line naming it', async () => {
    const run = karoo('--url', 'stratum+tcp://127.0.0.1:1', '--gpu', 'many');
    expect(await run.code).toBe(2);
    expect(run.stderr()).toBe('karoo: --gpu: expected a count from 0 to 1000, got many\n');
  });
});
