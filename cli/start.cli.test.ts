import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { PATIENCE } from '../test-support/patience.js';
import { StratumClient } from '../peers/stratum-client.js';

const MAIN = 'dist/cli/main.js';
const FREE_PORTS = ['--pool-port', '0', '--proxy-port', '0', '--http-port', '0'];

interface Run {
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
  kill: (signal: NodeJS.Signals) => void;
}

function karooStart(...args: string[]): Run {
  const child = spawn(process.execPath, [MAIN, 'start', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    stdout: () => out,
    stderr: () => err,
    exit: new Promise((resolve) => child.on('exit', resolve)),
    kill: (signal) => child.kill(signal),
  };
}

/** The accepted count of each miner in the last plain report printed so far. */
function lastReport(out: string): number[] {
  const report = out.slice(out.lastIndexOf('--- '));
  return [...report.matchAll(/ accepted +(\d+) +rejected +\d+ /g)].map((m) => Number(m[1]));
}

describe('karoo start (npm start)', () => {
  it("runs pool, proxy and a mixed rack without a TTY, open to the LAN with --listen 0.0.0.0; every miner mines at a difficulty of its own below the pool's; SIGINT ends it with exit 0", async () => {
    expect(existsSync(MAIN), 'npm test builds dist/ first').toBe(true);
    const run = karooStart('--listen', '0.0.0.0', '--interval', '0.5', ...FREE_PORTS);
    try {
      await vi.waitFor(() => expect(run.stdout()).toMatch(/real miners: point them at/), PATIENCE);
      const out = run.stdout();
      expect(out).toMatch(
        /^karoo bench: pool stratum\+tcp:\/\/127\.0\.0\.1:\d+, proxy stratum\+tcp:\/\/127\.0\.0\.1:\d+/,
      );
      expect(out).toMatch(/^ {2}pool difficulty 0\.0005; .* The rack hashes in \d+ worker thread\(s\)/m);
      expect(out).toMatch(
        /^ {2}simulated miners hash at a fraction of real hardware \(NerdMiner 40 kH\/s here, /m,
      );
      const port = Number(/proxy stratum\+tcp:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
      const http = /http (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] as string;
      const lan = Object.values(networkInterfaces())
        .flat()
        .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
        .map((a) => a!.address);
      for (const address of lan) expect(out).toContain(`stratum+tcp://${address}:${port}`);
      // Bound to every interface: reachable on each of this machine's addresses, loopback included.
      for (const address of ['127.0.0.1', ...lan]) await connects(address, port);

      const status = async () =>
        (await (await fetch(`${http}/status`)).json()) as {
          upstream: { difficulty: number | null };
          workers: { name: string; connected: boolean; difficulty: number | null }[];
        };
      await vi.waitFor(async () => {
        const s = await status();
        expect(s.workers.filter((w) => w.connected && w.difficulty !== null)).toHaveLength(12);
      }, PATIENCE);
      const s = await status();
      expect(s.upstream.difficulty).toBe(0.0005);
      for (const w of s.workers) expect(w.difficulty, w.name).toBeLessThan(0.0005);
      // The pool sees only shares that meet its difficulty (a few a minute); the miners' own
      // accepted shares, at their vardiff difficulties, are what the plain reports list.
      await vi.waitFor(() => expect(lastReport(run.stdout()).some((n) => n > 0)).toBe(true), PATIENCE);
    } finally {
      run.kill('SIGINT');
    }
    expect(await run.exit, run.stderr()).toBe(0);
    const final = run.stdout().slice(run.stdout().lastIndexOf('--- '));
    expect(final).toMatch(/pool accepted \d+, rejected 0;/);
    expect(lastReport(final)).toHaveLength(12);
    for (const worker of ['karoo.nerd-08', 'karoo.bitaxe-01', 'karoo.cpu-02', 'karoo.gpu-01'])
      expect(final).toContain(worker);
  }, 90_000);

  it('--duration stops it by itself with exit 0 and a last report', async () => {
    const run = karooStart('--plain', '--duration', '0.5', '--interval', '60', ...FREE_PORTS);
    expect(await run.exit, run.stderr()).toBe(0);
    expect(run.stdout()).toMatch(/^karoo bench: pool /);
    expect(lastReport(run.stdout())).toHaveLength(12);
  }, 60_000);

  it('refuses --listen that is not an address with one line and exit code 2', async () => {
    const run = karooStart('--listen', 'everywhere');
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toBe(
      'karoo: --listen: expected an IP address to listen on (0.0.0.0 for every interface), got "everywhere"\n',
    );
  });

  it('refuses a bad --duration with one line and exit code 2', async () => {
    const run = karooStart('--duration', 'soon');
    expect(await run.exit).toBe(2);
    expect(run.stderr().trim().split('\n')).toHaveLength(1);
    expect(run.stderr()).toContain('--duration');
  });
});

/** Resolves once a Stratum connection to address:port opens (then closes it). */
async function connects(address: string, port: number): Promise<void> {
  await (await StratumClient.connect({ host: address, port })).close();
}
