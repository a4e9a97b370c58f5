import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { codeOf, findShare, submit } from '../../simulator/pool/test-support/pool-harness.js';
import { poolFixture } from '../../simulator/pool/test-support/pool-fixture.js';
import type { ConnectedMiner } from '../../simulator/pool/test-support/pool-harness.js';
import { runKaroo, runKarooSync } from '../../test-support/built-command.js';
import { PATIENCE } from '../../test-support/patience.js';
import { tempDir } from '../../test-support/temp-dir.js';
import { openEventStream } from '../api/index.js';
import type { EventStream, ReadEvent } from '../api/index.js';
import { WORKER_SEMI_SPACE_MB } from './cluster-primary.js';
import { parsePromText, promtoolCheck, sampleValue } from '../metrics/test-support/prom-text.js';

const fx = poolFixture();
const streams: EventStream[] = [];
afterEach(() => {
  for (const s of streams.splice(0)) s.close();
});

function configFile(content: unknown): string {
  const file = join(tempDir('proxy-workers'), 'config.json');
  writeFileSync(file, JSON.stringify(content, null, 2));
  return file;
}

interface Processes {
  worker: number;
  pid: number | null;
  up: boolean;
  restarts: number;
  miners: number | null;
}
interface ClusterStatus {
  totals: { miners: number; accepted: number; workers: number };
  upstreams: { state: string; extranonce1: string | null }[];
  workers: { name: string; accepted: number; connected: boolean }[];
  proxy: { workers: number; processes: Processes[] };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const LISTENING =
  /listening on stratum\+tcp:\/\/127\.0\.0\.1:(\d+) \(2 workers, http (http:\/\/127\.0\.0\.1:\d+)\)/;

/** `karoo proxy --workers 2` in front of `poolPort`, once it says where it listens. */
async function startTwoWorkers(
  poolPort: number,
  user: string,
  extra: Record<string, unknown>,
  args: string[] = [],
) {
  const file = configFile({
    proxy: { listen: '127.0.0.1:0' },
    upstream: { host: '127.0.0.1', port: poolPort, user, suggest_difficulty: 'off' },
    http: { listen: '127.0.0.1:0' },
    ...extra,
  });
  const karoo = runKaroo(['proxy', '--config', file, '--workers', '2', ...args]);
  const [, port, http] = await karoo.waitForStdout(LISTENING);
  return { karoo, port: Number(port), http: http as string, file };
}

describe('karoo proxy --workers N (built CLI)', () => {
  it('shares one port among N processes, each with its own pool session; one /status, /metrics and /events; restarts a dead worker; reloads and stops them all', async () => {
    const pool = await fx.pool();
    const recordings = tempDir('proxy-workers-record');
    const settings = {
      ratelimit: { enabled: false },
      vardiff: { min_diff: 1e-9, start_diff: 1e-6, adjust_every_ms: 3_600_000 },
      log: { level: 'warn' },
    };
    const { karoo, port, http, file } = await startTwoWorkers(pool.port, 'karoo.cluster', settings, [
      '--record',
      recordings,
    ]);
    const target = { base: new URL(http), token: null };
    const status = async (): Promise<ClusterStatus> =>
      (await (await fetch(`${http}/status`)).json()) as ClusterStatus;
    const events: ReadEvent[] = [];
    let open = false;
    streams.push(
      openEventStream(target, {
        onOpen: () => (open = true),
        onEvent: (e) => events.push(e),
        onClose: () => undefined,
      }),
    );
    await vi.waitFor(() => expect(open).toBe(true), PATIENCE);

    // Six miners, two of them under one name (a rack sharing a payout address).
    const names = ['cli.a', 'cli.b', 'cli.c', 'cli.d', 'cli.shared', 'cli.shared'];
    const miners: ConnectedMiner[] = [];
    for (const worker of names) miners.push(await fx.miner({ port }, { worker }));
    for (const m of miners) expect(codeOf(await submit(m, findShare(m)))).toBeNull();
    expect(new Set(miners.map((m) => m.extranonce1)).size).toBe(6);

    await vi.waitFor(async () => expect((await status()).totals.accepted).toBe(6), PATIENCE);
    const s = await status();
    expect(s.totals).toMatchObject({ miners: 6, workers: 5 });
    expect(s.workers.find((w) => w.name === 'cli.shared')).toMatchObject({ accepted: 2, connected: true });
    // Each worker holds some of the miners on a pool session of its own.
    expect(s.proxy.workers).toBe(2);
    expect(s.proxy.processes.map((p) => p.miners ?? 0).reduce((a, b) => a + b, 0)).toBe(6);
    expect(s.proxy.processes.every((p) => p.up && (p.miners ?? 0) > 0)).toBe(true);
    expect(s.upstreams.map((u) => u.state)).toEqual(['ready', 'ready']);
    expect(new Set(s.upstreams.map((u) => u.extranonce1)).size).toBe(2);
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    // Workers run with a small young generation (what an idle session costs).
    const cmdline = readFileSync(`/proc/${s.proxy.processes[1]?.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toContain(`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`);

    // Events from both workers, connection ids unique across them (worker k of N: k, k + N, ...).
    await vi.waitFor(() => expect(events.filter((e) => e.type === 'share')).toHaveLength(6), PATIENCE);
    const conns = events.flatMap((e) => (e.type === 'connect' ? [Number(e.conn)] : []));
    expect(new Set(conns).size).toBe(6);
    expect(new Set(conns.map((c) => c % 2)).size).toBe(2);

    const metricsText = await (await fetch(`${http}/metrics`)).text();
    expect(promtoolCheck(metricsText).parsed).toBe(true);
    const metrics = parsePromText(metricsText);
    expect(sampleValue(metrics, 'karoo_shares_total', { result: 'accepted', reason: 'none' })).toBe(6);
    expect(sampleValue(metrics, 'karoo_clients_active_count')).toBe(6);
    expect(sampleValue(metrics, 'karoo_proxy_workers', { state: 'up' })).toBe(2);
    expect(sampleValue(metrics, 'karoo_info', { version: '0.1.0' })).toBe(1);
    expect(sampleValue(metrics, 'karoo_upstream_connected')).toBe(1);

    /** SIGKILLs worker `i` (0-based) and waits until it is forked again; returns it as it was. */
    const killAndAwaitRestart = async (i: number): Promise<Processes> => {
      const victim = (await status()).proxy.processes[i] as Processes;
      process.kill(victim.pid as number, 'SIGKILL');
      await vi.waitFor(async () => {
        const again = (await status()).proxy.processes[i];
        expect(again).toMatchObject({ up: true, restarts: 1 });
        expect(again?.pid).not.toBe(victim.pid);
      }, PATIENCE);
      return victim;
    };

    // A worker dies: its miners are dropped (they reconnect to the other), it is forked again.
    const victim = await killAndAwaitRestart(0);
    const after = await status();
    expect(after.totals.miners).toBe(6 - (victim.miners ?? 0));
    await vi.waitFor(
      () => expect(miners.filter((m) => m.client.isClosed)).toHaveLength(victim.miners ?? -1),
      PATIENCE,
    );
    const late = await fx.miner({ port }, { worker: 'cli.late' });
    expect(codeOf(await submit(late, findShare(late)))).toBeNull();
    const restarted = parsePromText(await (await fetch(`${http}/metrics`)).text());
    expect(sampleValue(restarted, 'karoo_proxy_worker_restarts_total')).toBe(1);

    karoo.child.kill('SIGHUP');
    await karoo.waitForStdout(/karoo proxy: config reloaded \(0 changed\)\n/);
    // A reload that changes something reaches every worker, and a worker forked after it starts
    // on the config in force, handed over by the primary: not on a file edited since.
    const config = JSON.parse(readFileSync(file, 'utf8')) as { vardiff: Record<string, unknown> };
    const withStart = (start: number) =>
      JSON.stringify({ ...config, vardiff: { ...config.vardiff, start_diff: start } });
    writeFileSync(file, withStart(5e-7));
    karoo.child.kill('SIGHUP');
    await karoo.waitForStdout(/karoo proxy: config reloaded \(1 changed\)\n/);
    writeFileSync(file, withStart(3e-7));
    await killAndAwaitRestart(1);
    const fresh = [
      await fx.miner({ port }, { worker: 'cli.fresh-1' }),
      await fx.miner({ port }, { worker: 'cli.fresh-2' }),
    ];
    expect(fresh.map((m) => m.difficulty)).toEqual([5e-7, 5e-7]);
    // Round robin hands serial connections to each worker in turn: the new one holds one of them.
    expect((await status()).proxy.processes[1]?.miners).toBe(1);

    const pids = (await status()).proxy.processes.map((p) => p.pid as number);
    karoo.child.kill('SIGTERM');
    expect(await karoo.exit).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
    // --record: each worker names its files, so two sessions never race for one name.
    const recorded = readdirSync(recordings);
    expect(recorded).toHaveLength(9);
    expect(new Set(recorded.map((f) => /^session-w(\d)-/.exec(f)?.[1]))).toEqual(new Set(['1', '2']));
  });

  it('workers whose primary is killed close their miners and exit', async () => {
    const pool = await fx.pool();
    const { karoo, port, http } = await startTwoWorkers(pool.port, 'karoo.orphans', {
      log: { level: 'silent' },
    });
    const miners = [
      await fx.miner({ port }, { worker: 'orphan.a' }),
      await fx.miner({ port }, { worker: 'orphan.b' }),
    ];
    const s = (await (await fetch(`${http}/status`)).json()) as ClusterStatus;
    const pids = s.proxy.processes.map((p) => p.pid as number);
    expect(pids.filter(alive)).toHaveLength(2);
    karoo.child.kill('SIGKILL');
    await karoo.exit;
    await vi.waitFor(() => expect(pids.filter(alive)).toEqual([]), PATIENCE);
    await Promise.all(miners.map((m) => m.client.waitClosed()));
  });

  it('a taken port or a bad --workers: one line, exit 2', async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    try {
      const port = (taken.address() as net.AddressInfo).port;
      const file = configFile({
        upstream: { host: '127.0.0.1', port: 3333 },
        proxy: { listen: `127.0.0.1:${port}` },
        http: { listen: '' },
        log: { level: 'silent' },
      });
      const run = runKarooSync(['proxy', '--config', file, '--workers', '3']);
      expect(run.stderr).toBe(
        `karoo: proxy.listen: cannot listen on 127.0.0.1:${port}: address already in use (EADDRINUSE)\n`,
      );
      expect(run.status).toBe(2);
      for (const bad of ['0', '65', 'two', '1.5']) {
        const r = runKarooSync(['proxy', '--config', file, '--workers', bad]);
        expect(r.stderr).toBe(`karoo: --workers: expected an integer from 1 to 64, got "${bad}"\n`);
        expect(r.status).toBe(2);
      }
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });
});
