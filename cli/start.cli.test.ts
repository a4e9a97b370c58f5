import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import { describe, expect, it, vi } from 'vitest';

const MAIN = 'dist/cli/main.js';

describe('karoo start (npm start)', () => {
  it('runs pool, proxy and a mixed rack without a TTY, reports accepted shares, and ends with exit 0 after --duration', async () => {
    expect(existsSync(MAIN), 'npm test builds dist/ first').toBe(true);
    const child = spawn(
      process.execPath,
      [
        MAIN,
        'start',
        '--duration',
        '10',
        '--interval',
        '3',
        '--pool-port',
        '0',
        '--proxy-port',
        '0',
        '--http-port',
        '0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, err).toBe(0);
    expect(out).toMatch(
      /^karoo bench: pool stratum\+tcp:\/\/127\.0\.0\.1:\d+, proxy stratum\+tcp:\/\/127\.0\.0\.1:\d+/,
    );
    expect(out).toMatch(/^ {2}pool difficulty 0\.0005; .* The rack hashes in \d+ worker thread\(s\)/m);
    expect(out).toMatch(
      /^ {2}simulated miners hash at a fraction of real hardware \(NerdMiner 40 kH\/s here, /m,
    );
    const reports = [...out.matchAll(/pool accepted (\d+), rejected (\d+)/g)];
    expect(reports.length).toBeGreaterThanOrEqual(2);
    const last = reports[reports.length - 1] as RegExpMatchArray;
    expect(Number(last[2])).toBe(0);
    // The pool sees only shares that meet its difficulty (a few a minute); the miners' own accepted
    // shares, at their vardiff difficulties, are what the last report lists.
    const final = out.slice(out.lastIndexOf('--- '));
    const accepted = [...final.matchAll(/ accepted +(\d+) +rejected +\d+ /g)].map((m) => Number(m[1]));
    expect(accepted).toHaveLength(12);
    expect(accepted.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    for (const worker of ['karoo.nerd-08', 'karoo.bitaxe-01', 'karoo.cpu-02', 'karoo.gpu-01'])
      expect(out).toContain(worker);
  }, 60_000);

  it("--listen 0.0.0.0 opens the proxy to the LAN; every miner gets a difficulty of its own below the pool's", async () => {
    const child = spawn(
      process.execPath,
      [MAIN, 'start', '--listen', '0.0.0.0', '--duration', '60', '--interval', '60'].concat([
        '--pool-port',
        '0',
        '--proxy-port',
        '0',
        '--http-port',
        '0',
      ]),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await vi.waitFor(() => expect(out).toMatch(/real miners: point them at/), { timeout: 30_000 });
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
      await vi.waitFor(
        async () => {
          const s = await status();
          expect(s.workers.filter((w) => w.connected && w.difficulty !== null)).toHaveLength(12);
        },
        { timeout: 30_000, interval: 200 },
      );
      const s = await status();
      expect(s.upstream.difficulty).toBe(0.0005);
      for (const w of s.workers) expect(w.difficulty, w.name).toBeLessThan(0.0005);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 90_000);

  it('refuses --listen that is not an address with one line and exit code 2', async () => {
    const child = spawn(process.execPath, [MAIN, 'start', '--listen', 'everywhere'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toBe(
      'karoo: --listen: expected an IP address to listen on (0.0.0.0 for every interface), got "everywhere"\n',
    );
  });

  it('refuses a bad --duration with one line and exit code 2', async () => {
    const child = spawn(process.execPath, [MAIN, 'start', '--duration', 'soon'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('--duration');
  });
});

/** Resolves once a TCP connection to address:port opens (then closes it). */
function connects(address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port }, () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}
