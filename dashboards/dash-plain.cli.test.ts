import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli } from './test-support/built-cli.js';
import { startDashBench } from './test-support/dash-bench.js';
import type { DashBench } from './test-support/dash-bench.js';

/** The built `karoo dash` with stdout a pipe (no TTY): plain-text tables, from a proxy that wants a token. */

const TOKEN = 'rack-t0ken';

let bench: DashBench | undefined;
const children: ChildProcess[] = [];

beforeAll(async () => {
  requireBuiltCli();
  bench = await startDashBench(undefined, { http: { token: TOKEN } });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await bench?.stop();
});

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function dash(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [requireBuiltCli(), 'dash', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KAROO_HTTP_TOKEN: '', ...env },
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (t: string) => (out += t));
  child.stderr?.setEncoding('utf8').on('data', (t: string) => (err += t));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`never saw ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Accepted count of `worker` in each table printed so far. */
function acceptedCounts(text: string, worker: string): number[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((cells) => cells[0] === worker)
    .map((cells) => Number(cells[4]));
}

describe('karoo dash without a terminal', () => {
  it('--once prints one table of every worker and exits 0', async () => {
    const run = dash(['--url', (bench as DashBench).httpUrl, '--once', '--token', TOKEN]);
    expect(await run.exit).toBe(0);
    const lines = run.stdout().split('\n');
    expect(lines[0]).toMatch(/^karoo dash http:\/\/127\.0\.0\.1:\d+ at \d\d:\d\d:\d\d: /);
    expect(lines[1]).toMatch(/^pool 127\.0\.0\.1:\d+ {2}ready /);
    expect(lines.find((l) => l.startsWith('worker '))).toMatch(/acc +rej +stl +last +p50 +p95 +spacing/);
    for (const w of ['rack.bitaxe-01', 'rack.cpu-01', 'rack.cpu-02']) {
      expect(lines.some((l) => l.startsWith(`${w} `))).toBe(true);
    }
    expect(run.stdout()).not.toContain('\u001b');
    expect(run.stderr()).toBe('');
  });

  it('prints a fresh table every --interval until stopped', async () => {
    const run = dash(['--url', (bench as DashBench).httpUrl, '--interval', '0.3'], {
      KAROO_HTTP_TOKEN: TOKEN,
    });
    await until(() => {
      const counts = acceptedCounts(run.stdout(), 'rack.cpu-01');
      return counts.length >= 2 && (counts.at(-1) ?? 0) > (counts[0] ?? 0);
    }, 'the accepted count grow between tables');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('--once exits 1 with one line on stderr when the proxy cannot be read', async () => {
    const port = await closedPort();
    const run = dash(['--url', `127.0.0.1:${port}`, '--once']);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(
      new RegExp(`^karoo dash: http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*\\n$`),
    );
    expect(run.stdout()).toBe('');
  });

  it('--once without the token says the proxy refused it (exit 1)', async () => {
    const run = dash(['--url', (bench as DashBench).httpUrl, '--once']);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(/: HTTP 401 on \/status: unauthorized \(check --token\)\n$/);
  });

  it('refuses a bad --url with a usage error (exit 2)', async () => {
    const run = dash(['--url', 'stratum+tcp://pool:3333', '--once']);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toBe(
      'karoo: --url: expected an http:// or https:// URL, got "stratum+tcp://pool:3333"\n',
    );
  });

  it('refuses --url notaurl at once with a usage error, not a DNS lookup (exit 2)', async () => {
    const run = dash(['--url', 'notaurl', '--once']);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toBe('karoo: --url: expected http://HOST:PORT or HOST:PORT, got "notaurl"\n');
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
