import { spawn } from 'node:child_process';

import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { UsageError } from '../../runtime/usage-error.js';
import { rackOptionsFromFlags } from './miners-command.js';
import { ScriptedPool } from './test-support/scripted-pool.js';

const ROOT = join(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/cli/main.js');

describe('rackOptionsFromFlags', () => {
  const base = { user: 'karoo', url: 'stratum+tcp://127.0.0.1:3333' };

  test('maps flags to rack options', () => {
    const o = rackOptionsFromFlags({ ...base, nerdminer: '4', bitaxe: '1', hashrateScale: '2', pass: 'p' });
    expect(o.counts).toEqual({ nerdminer: 4, bitaxe: 1 });
    expect(o.hashrateScale).toBe(2);
    expect(o.password).toBe('p');
  });

  test.each([
    [{ user: 'karoo', nerdminer: '1' }, '--url: required'],
    [{ ...base, url: 'http://x:1', nerdminer: '1' }, '--url: expected stratum+tcp://HOST:PORT'],
    [{ ...base, nerdminer: 'four' }, '--nerdminer: expected a count'],
    [{ ...base }, 'no miners'],
    [{ ...base, cpu: '0' }, 'no miners'],
    [{ ...base, cpu: '1', hashrateScale: '0' }, '--hashrate-scale: expected a number above 0'],
    [{ ...base, cpu: '1', user: 'a"b' }, '--user:'],
  ])('%j is a usage error naming the flag', (flags, message) => {
    expect(() => rackOptionsFromFlags(flags)).toThrow(UsageError);
    expect(() => rackOptionsFromFlags(flags)).toThrow(message);
  });
});

describe('karoo miners (built CLI)', () => {
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
    waitForStdout: (text: string) => Promise<void>;
  }

  /** Spawned (not spawnSync): the scripted pool lives in this process and must keep answering. */
  function karoo(...args: string[]): Run {
    const child = spawn(process.execPath, [MAIN, 'miners', ...args], { cwd: ROOT });
    let out = '';
    let err = '';
    const waiters: (() => void)[] = [];
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      for (const w of waiters) w();
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const code = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    return {
      code,
      stdout: () => out,
      stderr: () => err,
      kill: (signal) => child.kill(signal),
      waitForStdout: (text) =>
        new Promise((resolve) => {
          const check = (): void => {
            if (out.includes(text)) resolve();
          };
          waiters.push(check);
          check();
        }),
    };
  }

  test('--json writes one event per line and a summary of every miner last', async () => {
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
      '--duration',
      '2',
      '--json',
    );
    expect(await run.code).toBe(0);
    const events = run
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; worker?: string; miners?: { worker: string }[] });
    const summary = events.at(-1);
    expect(summary?.event).toBe('summary');
    expect(summary?.miners?.map((m) => m.worker)).toEqual([
      'rig.nerd-01',
      'rig.bitaxe-01',
      'rig.cpu-01',
      'rig.gpu-01',
    ]);
    for (const worker of ['rig.nerd-01', 'rig.bitaxe-01', 'rig.cpu-01', 'rig.gpu-01']) {
      expect(events.some((e) => e.event === 'subscribed' && e.worker === worker)).toBe(true);
    }
    expect(events.some((e) => e.event === 'tx')).toBe(false);
  });

  test('SIGINT stops every miner cleanly, prints the summary table and exits 0', async () => {
    pool = await ScriptedPool.start({ difficulty: 3e-5 });
    const run = karoo('--url', pool.url, '--cpu', '1', '--nerdminer', '1', '--json');
    await run.waitForStdout('"event":"job","worker":"karoo.nerd-01"');
    await run.waitForStdout('"event":"job","worker":"karoo.cpu-01"');
    run.kill('SIGINT');
    expect(await run.code).toBe(0);
    expect(run.stdout()).toContain('"event":"summary"');
    await Promise.all(pool.connections.map((c) => c.waitForClose()));
  });

  test('without --json the summary is a table', async () => {
    pool = await ScriptedPool.start({ difficulty: 3e-5 });
    const run = karoo('--url', pool.url, '--cpu', '1', '--duration', '1');
    expect(await run.code).toBe(0);
    expect(run.stdout()).toMatch(/^worker\s+profile\s+sent\s+accepted\s+rejected/);
    expect(run.stdout()).toMatch(/karoo\.cpu-01\s+cpu/);
    expect(run.stderr()).toContain('karoo miners: 1 miners on');
  });

  test('--json --wire prints console lines as {"line": ...} and tx/rx with their session', async () => {
    pool = await ScriptedPool.start({ difficulty: 3e-5 });
    const run = karoo('--url', pool.url, '--nerdminer', '1', '--json', '--wire', '--duration', '1');
    expect(await run.code).toBe(0);
    const events = run
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const consoleLines = events.filter((e) => e.event === 'console');
    expect(consoleLines.map((e) => e.line)).toContain('[WORKER] ==> Mining subscribe');
    for (const e of consoleLines) {
      expect(Object.keys(e)).toEqual(['time', 'event', 'worker', 'profile', 'line']);
    }
    expect(events.find((e) => e.event === 'tx')).toMatchObject({
      worker: 'karoo.nerd-01',
      session: 0,
      line: '{"id": 1, "method": "mining.subscribe", "params": ["NerdMinerV2/V1.8.3"]}',
    });
  });

  test('a pool that refuses the first connection: one line naming it, exit 1, no endless retries', async () => {
    const port = await closedPort();
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

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
