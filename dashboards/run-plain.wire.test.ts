/**
 * `karoo dash` without a terminal, in process: runPlain against a stand-in for the proxy's HTTP
 * API on 127.0.0.1, its interval on a manual clock. The built command: dash-plain.cli.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../runtime/test-support/manual-clock.js';
import { PATIENCE } from '../test-support/patience.js';
import type { DashOptions } from './dash-options.js';
import { runPlain } from './run-plain.js';
import { FakeProxyHttp } from './test-support/fake-proxy-http.js';
import { statusFixture, workerFixture } from '../proxy/api/test-support/status-fixture.js';
import { refusedPort } from '../test-support/free-ports.js';

let proxy: FakeProxyHttp | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

function options(url: string, o: Partial<DashOptions> = {}): DashOptions {
  return {
    base: new URL(url),
    token: null,
    plain: true,
    once: false,
    intervalMs: 5000,
    refreshMs: 5000,
    ...o,
  };
}

function io(clock = new ManualClock()) {
  const out: string[] = [];
  const err: string[] = [];
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  return {
    out,
    err,
    stop,
    clock,
    stopped,
    io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), clock, stopped },
  };
}

/** The accepted count in a worker's row of a table. */
function accepted(table: string, worker: string): number | undefined {
  const cells = table
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((c) => c[0] === worker);
  return cells === undefined ? undefined : Number(cells[4]);
}

describe('runPlain (karoo dash without a terminal)', () => {
  it('--once prints one table of every worker, with the token, and returns 0', async () => {
    proxy = await new FakeProxyHttp().listen();
    proxy.status = () =>
      statusFixture(['rack.bitaxe-01', 'rack.cpu-01', 'rack.cpu-02'].map((w) => workerFixture(w)));
    const run = io();
    expect(await runPlain(options(proxy.url, { once: true, token: 't0k' }), run.io)).toBe(0);
    expect(run.err).toEqual([]);
    expect(run.out).toHaveLength(1);
    const lines = (run.out[0] as string).split('\n');
    expect(lines[0]).toMatch(/^karoo dash http:\/\/127\.0\.0\.1:\d+ at \d\d:\d\d:\d\d: /);
    expect(lines[1]).toMatch(/^pool pool\.example:3333 {2}ready /);
    expect(lines.find((l) => l.startsWith('worker '))).toMatch(/acc +rej +stl +last +p50 +p95 +spacing/);
    for (const w of ['rack.bitaxe-01', 'rack.cpu-01', 'rack.cpu-02'])
      expect(accepted(run.out[0] as string, w)).toBe(10);
    expect(run.out[0]).not.toContain('\u001b');
    expect(proxy.requests).toEqual([{ path: '/status', authorization: 'Bearer t0k' }]);
  });

  it('prints a fresh table every interval until stopped, then returns 0', async () => {
    proxy = await new FakeProxyHttp().listen();
    let count = 10;
    proxy.status = () => statusFixture([workerFixture('rack.cpu-01', { accepted: count })]);
    const run = io();
    const done = runPlain(options(proxy.url, { intervalMs: 300 }), run.io);
    await vi.waitFor(() => expect(run.out).toHaveLength(1), PATIENCE);
    expect(accepted(run.out[0] as string, 'rack.cpu-01')).toBe(10);
    count = 12;
    await run.clock.tick(299);
    expect(run.out).toHaveLength(1);
    await run.clock.tick(1);
    await vi.waitFor(() => expect(run.out).toHaveLength(2), PATIENCE);
    expect(accepted(run.out[1] as string, 'rack.cpu-01')).toBe(12);
    run.stop();
    expect(await done).toBe(0);
    expect(run.clock.pending).toBe(0);
  });

  it('--once returns 1 with one line on stderr when the proxy cannot be reached', async () => {
    const port = await refusedPort();
    const run = io();
    expect(await runPlain(options(`http://127.0.0.1:${port}`, { once: true }), run.io)).toBe(1);
    expect(run.out).toEqual([]);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toMatch(
      new RegExp(`^karoo dash: http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*\\n$`),
    );
  });

  it('--once says the proxy refused the token (returns 1)', async () => {
    proxy = await new FakeProxyHttp().listen();
    proxy.refuseWith = 401;
    const run = io();
    expect(await runPlain(options(proxy.url, { once: true, token: 'wrong' }), run.io)).toBe(1);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toMatch(/: HTTP 401 on \/status: unauthorized \(check --token\)\n$/);
  });
});
