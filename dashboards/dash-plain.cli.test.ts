import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PATIENCE } from '../test-support/patience.js';
import { requireBuiltCli } from './test-support/built-cli.js';
import { FakeProxyHttp } from './test-support/fake-proxy-http.js';
import { statusFixture, workerFixture } from '../proxy/api/test-support/status-fixture.js';
import { refusedPort } from '../test-support/free-ports.js';

/**
 * The built `karoo dash` with stdout a pipe (no TTY), for what only the command shows: its flags,
 * streams, exit codes and signals. What it prints is proved in process (run-plain.wire.test.ts);
 * the dashboard against a real proxy and rack: dash-tmux.cli.test.ts.
 */

const TOKEN = 'rack-t0ken';
const WORKERS = ['rack.bitaxe-01', 'rack.cpu-01', 'rack.cpu-02'];

let proxy: FakeProxyHttp;
const children: ChildProcess[] = [];

beforeAll(async () => {
  requireBuiltCli();
  proxy = await new FakeProxyHttp().listen();
  proxy.status = () => statusFixture(WORKERS.map((w) => workerFixture(w)));
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await proxy.close();
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

const tables = (text: string): number => text.split('\n').filter((l) => l.startsWith('karoo dash ')).length;

describe('karoo dash without a terminal', () => {
  it('--once --token prints one table of every worker, no escape codes, and exits 0', async () => {
    const from = proxy.requests.length;
    const run = dash(['--url', proxy.url, '--once', '--token', TOKEN]);
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toBe('');
    expect(tables(run.stdout())).toBe(1);
    for (const w of WORKERS) expect(run.stdout()).toMatch(new RegExp(`^${w.replace('.', '\\.')} `, 'm'));
    expect(run.stdout()).not.toContain('\u001b');
    expect(proxy.requests.slice(from)).toEqual([{ path: '/status', authorization: `Bearer ${TOKEN}` }]);
  });

  it('prints a table every --interval, with the token from $KAROO_HTTP_TOKEN, until SIGTERM (exit 0)', async () => {
    const from = proxy.requests.length;
    const run = dash(['--url', proxy.url.replace('http://', ''), '--interval', '0.2'], {
      KAROO_HTTP_TOKEN: TOKEN,
    });
    await vi.waitFor(() => expect(tables(run.stdout())).toBeGreaterThanOrEqual(2), PATIENCE);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toBe('');
    expect(proxy.requests.slice(from).every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('--once exits 1 with one line on stderr when the proxy cannot be read', async () => {
    const port = await refusedPort();
    const run = dash(['--url', `127.0.0.1:${port}`, '--once']);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(
      new RegExp(`^karoo dash: http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*\\n$`),
    );
    expect(run.stdout()).toBe('');
  });

  it('refuses --url notaurl at once with a usage error, not a DNS lookup (exit 2)', async () => {
    const run = dash(['--url', 'notaurl', '--once']);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toBe('karoo: --url: expected http://HOST:PORT or HOST:PORT, got "notaurl"\n');
  });
});
