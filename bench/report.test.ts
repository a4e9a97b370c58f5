import { describe, expect, it } from 'vitest';
import type { MachineInfo } from './machine.js';
import { GOALS, judgeGoals, renderMarkdown } from './report.js';
import type { BenchResults } from './report.js';
import type { ConnectionsResult } from './suites/connections.js';
import type { DemoLatencyResult, DemoRun } from './suites/demo-latency.js';
import type { LatencyResult } from './suites/latency.js';
import type { ShareRateResult } from './suites/share-rate.js';
import { distribution } from './summary.js';

const machine: MachineInfo = {
  cpuModel: 'Test CPU',
  cpus: 2,
  memoryGiB: 24,
  node: 'v20.0.0',
  v8: '11',
  os: 'Linux test x64',
  loadAverage: 0.5,
  commit: 'abc1234',
};

function latency(direct: number, relay: number, karoo: number): LatencyResult {
  const d = (p99: number) => ({ ...distribution([p99 / 2, p99]), p50: p99 / 2, p99 });
  const local = (direct + karoo) / 2;
  const paths = { direct: d(direct), relay: d(relay), karoo: d(karoo), karooLocal: d(local) };
  const added = {
    relay: { p50: (relay - direct) / 2, p99: relay - direct },
    karoo: { p50: (karoo - direct) / 2, p99: karoo - direct },
    karooLocal: { p50: (local - direct) / 2, p99: local - direct },
  };
  return {
    unit: 'us',
    plan: { submits: 2, warmup: 0, block: 1 },
    paths,
    rejected: { direct: 0, relay: 0, karoo: 0, karooLocal: 0 },
    added,
    karooOverRelayP99: added.relay.p99 > 0 ? added.karoo.p99 / added.relay.p99 : null,
    karooOverRelayP50: null,
    karooLocalOverRelayP99: added.relay.p99 > 0 ? added.karooLocal.p99 / added.relay.p99 : null,
  };
}

const shareRate = (checksPerSecond: number, cpuMicros = 40): ShareRateResult => ({
  plan: { loopMs: 1, connections: 1, window: 1, warmupMs: 1, durationMs: 1 },
  merkleBranches: 12,
  checksPerSecond,
  parseAndCheckPerSecond: checksPerSecond * 0.9,
  headerHashesPerSecond: checksPerSecond * 15,
  headerHashesPerCheck: 15,
  cpuPerSubmit: {
    sessions: 10,
    karoo: { answers: 100, refused: 100, cpuMicros },
    karooRolling: { answers: 80, refused: 80, cpuMicros: 2 * cpuMicros },
    relay: { answers: 100, refused: 100, cpuMicros: 25 },
    karooOverRelay: cpuMicros / 25,
  },
  endToEnd: {
    answersPerSecond: 1000,
    accepted: 10,
    answers: 10,
    proxyCores: 0.5,
    answersPerProxyCoreSecond: 2000,
  },
});

function connections(ready: number, rssPerSession: number, worstMs: number, missing = 0): ConnectionsResult {
  const round = distribution([worstMs / 2, worstMs]);
  return {
    plan: { sessions: 100_000, perProcess: 1, perAddress: 1, concurrency: 1, fanouts: 1, rampTimeoutMs: 1 },
    openFileLimit: 20_000,
    attempted: ready,
    limitedBy: ready < 100_000 ? "the proxy process's open-file limit (20000)" : null,
    ready,
    failed: 0,
    errors: {},
    closedAfterReady: 0,
    minerProcesses: 2,
    proxyProcesses: 1,
    sourceAddresses: ['127.0.0.2', '127.0.0.3'],
    rampSeconds: 1,
    sessionsPerSecond: ready,
    proxy: {
      before: { rss: 50e6, heapUsed: 10e6 },
      after: { rss: 50e6 + rssPerSession * ready, heapUsed: 10e6 },
      afterRamp: { rss: 50e6 + 2 * rssPerSession * ready, heapUsed: 10e6 },
      afterNotifies: { rss: 50e6 + 1.5 * rssPerSession * ready, heapUsed: 10e6 },
      idleAfterMs: 6500,
      rssPerSessionBytes: rssPerSession,
      rssPerSessionAfterRampBytes: 2 * rssPerSession,
      rssPerSessionAfterNotifiesBytes: 1.5 * rssPerSession,
      heapPerSessionBytes: 1000,
    },
    notify: { rounds: [round], missing, allReachedMs: distribution([round.max]) },
    broadcastLoopMs: [worstMs / 4],
    floor: null,
    heapPerSession: null,
  };
}

describe('goals are judged, never asserted by the bench', () => {
  it('meets every goal at the boundaries', () => {
    const verdicts = judgeGoals({
      latency: latency(100, 200, 220), // Karoo adds 120 µs where the relay adds 100: 1.2x
      shareRate: shareRate(GOALS.checksPerSecondPerCore, GOALS.cpuMicrosPerSubmit),
      connections: connections(100_000, GOALS.rssPerSessionBytes, GOALS.notifyAllMs),
    });
    expect(verdicts.map((v) => v.met)).toEqual([true, true, true, true, true, true]);
  });

  it('misses each goal just past its boundary, and says what limited the session count', () => {
    const verdicts = judgeGoals({
      latency: latency(100, 200, 221),
      shareRate: shareRate(GOALS.checksPerSecondPerCore - 1, GOALS.cpuMicrosPerSubmit + 1),
      connections: connections(19_000, GOALS.rssPerSessionBytes + 1, GOALS.notifyAllMs + 1),
    });
    expect(verdicts.map((v) => v.met)).toEqual([false, false, false, false, false, false]);
    expect(verdicts[2]?.measured).toBe('51 µs (the relay: 25 µs; 2.04x)');
    expect(verdicts[3]?.measured).toContain('open-file limit');
  });

  it('sets the notify beside the floor measured in the same run (a bare Node stub, same sessions)', () => {
    const c = connections(17_900, 3000, 400);
    const rounds = [distribution([100, 320])];
    const allReachedMs = distribution([320]);
    const floor = { ready: 17_900, rounds, missing: 0, allReachedMs, loopMs: [250] };
    const verdict = judgeGoals({ connections: { ...c, floor } })[2];
    expect(verdict?.goal).toBe('one notify reaching every session');
    expect(verdict?.measured).toBe('400 ms worst of 1 at 17,900 sessions (a bare Node stub: 320 ms, 1.25x)');
    expect(verdict?.met).toBe(false);
    const md = renderMarkdown({
      version: 1,
      mode: 'quick',
      startedAt: '2025-01-01T00:00:00.000Z',
      durationSeconds: 60,
      machine,
      connections: { ...c, floor },
      goals: [],
    });
    expect(md).toContain(
      '| floor 1 (a bare Node stub, 17,900 sessions): ms to p50 / p99 / all | 100 / 320 / 320 |',
    );
    expect(md).toContain("| the stub's write loop, worst round | 250 ms = 14 µs per session |");
    expect(md).toContain('| Karoo / floor, worst round to all sessions | 400 / 320 ms = 1.25x |');
    expect(md).not.toContain('sessions the floor missed');
  });

  it('cannot judge the latency ratio when the relay added nothing, unless Karoo added nothing either', () => {
    expect(judgeGoals({ latency: latency(100, 90, 150) })[0]?.met).toBeNull();
    expect(judgeGoals({ latency: latency(100, 90, 95) })[0]?.met).toBe(true);
  });

  it('a notify that missed a session fails the fan-out goal however fast the rest were', () => {
    expect(judgeGoals({ connections: connections(1000, 100, 10, 1) })[2]?.met).toBe(false);
  });

  it("with --workers, judges the total RSS, the same with Node's shared code once, and the 1.5 s notify at 100,000", () => {
    const cluster = (rss: number, machine: number, worstMs: number): ConnectionsResult => {
      const c = connections(100_000, 0, worstMs);
      const after = { rss, heapUsed: Number.NaN, machine };
      return { ...c, proxyProcesses: 7, proxy: { ...c.proxy, after, afterNotifies: after } };
    };
    const goal = GOALS.clusterTotalRssBytes;
    const met = judgeGoals({ connections: cluster(goal, goal / 2, GOALS.clusterNotifyAllMs) });
    expect(met.map((v) => [v.goal, v.met])).toEqual([
      ['concurrent sessions', true],
      ["total RSS of the proxy's 7 processes (--workers 6), idle", true],
      ['... the same counting the pages they share (Node’s code) once', true],
      ['one notify reaching every session across the workers', true],
    ]);
    expect(met[1]?.measured).toBe('600 MB at 100,000 sessions (VmRSS summed)');
    expect(met[2]?.measured).toBe('300 MB');
    // Each judged on its own figure.
    expect(
      judgeGoals({ connections: cluster(goal + 1, goal, GOALS.clusterNotifyAllMs + 1) }).map((v) => v.met),
    ).toEqual([true, false, true, false]);
    expect(judgeGoals({ connections: cluster(goal + 2, goal + 1, 0) }).map((v) => v.met)).toEqual([
      true,
      false,
      false,
      true,
    ]);
    const md = renderMarkdown({
      version: 1,
      mode: 'full',
      startedAt: '2025-01-01T00:00:00.000Z',
      durationSeconds: 60,
      machine,
      connections: cluster(700e6, 350e6, 1000),
      goals: [],
    });
    expect(md).toContain(
      '| idle reading taken after the ramp (left quiet: V8 gives back the young generations by itself) |',
    );
    expect(md).toContain(
      "| memory the machine spends, idle (private pages summed, Node's shared code once) | 334 MiB |",
    );
    expect(md).toContain('| ... after the notifies (young generation grown back) |');
  });

  it('judges only the suites that ran', () => {
    expect(judgeGoals({})).toEqual([]);
    expect(judgeGoals({ shareRate: shareRate(1) })).toHaveLength(2);
    expect(judgeGoals({ shareRate: { ...shareRate(1), cpuPerSubmit: null } })).toHaveLength(1);
  });
});

describe('markdown report', () => {
  it('has the machine line, one section per suite that ran, and the goals table', () => {
    const results: BenchResults = {
      version: 1,
      mode: 'quick',
      startedAt: '2025-01-01T00:00:00.000Z',
      durationSeconds: 12.3,
      machine,
      latency: latency(100, 200, 250),
      shareRate: shareRate(30_000),
      connections: connections(2000, 9000, 120),
      goals: [],
    };
    results.goals = judgeGoals(results);
    const md = renderMarkdown(results);
    expect(md).toContain('Machine: Test CPU, 2 CPUs, 24 GiB, Node v20.0.0');
    expect(md).toContain('load average 0.5');
    expect(md).toContain('### Submit round trip');
    expect(md).toContain(
      '| 10 sessions x 1 in flight, every share refused: Karoo | 40 µs CPU per answer (100 answered, 100 refused) |',
    );
    expect(md).toContain(
      '| ... Karoo, a new extranonce2 every share (the full check each time) | 80 µs CPU per answer (80 answered, 80 refused) |',
    );
    expect(md).toContain('| Karoo (every share forwarded) | 125 |');
    expect(md).toContain('| Karoo (shares answered locally only) | 87.5 |');
    expect(md).toContain('| checkShare, 12 merkle branches | 30,000');
    // The goal is judged on the idle reading; the one right after the ramp is shown beside it.
    expect(md).toContain('| proxy RSS per session, idle | 8.79 KB |');
    expect(md).toContain('| ... 1 s after the ramp (its young generation still held) | 17.6 KB |');
    expect(md).toContain('| idle reading taken after the ramp (young generation given back) | 6.5 s |');
    expect(md).toContain('| 30 ms = 15 µs per session |');
    expect(md).toMatch(
      /\| added p99 submit latency vs a plain relay \| <= 1.2x \| 1.5x every share forwarded .*; 0.75x answering locally only \| no \|/,
    );
    expect(md).not.toContain('JS heap per session by constructor');
    const heap = renderMarkdown({
      ...results,
      connections: {
        ...connections(2000, 9000, 120),
        heapPerSession: [
          { name: 'MinerSession', count: 1, bytes: 248 },
          { name: '(other)', count: 3.5, bytes: 152 },
        ],
      },
    });
    expect(heap).toContain('self sizes): 400 bytes');
    expect(heap).toContain('| MinerSession | 1 | 248 |');
    expect(heap).toContain('| (other) | 3.5 | 152 |');
    const noConnections = renderMarkdown({ ...results, connections: undefined });
    expect(noConnections).not.toContain('### Concurrent miners');
  });
});

function demoRun(setup: DemoRun['setup'], p50Ms: number | null, meanMs: number | null, atPool = 0): DemoRun {
  return {
    setup,
    forwarded: p50Ms === null ? 0 : 20,
    p50Ms,
    p95Ms: p50Ms,
    meanMs,
    poolDifficulty: 5e-4,
    miners: [
      { worker: 'karoo.nerd-01', difficulty: 4e-5 },
      { worker: 'karoo.bitaxe-01', difficulty: atPool > 0 ? 5e-4 : 2e-4 },
    ],
    atPoolDifficulty: atPool,
  };
}

function demo(
  inProcess: DemoRun,
  separate: DemoRun,
  ratio: number | null,
  ratioOf: 'p50' | 'mean',
): DemoLatencyResult {
  return { plan: { warmupMs: 1000, measureMs: 2000 }, inProcess, separate, ratio, ratioOf };
}

describe('the demo against separate processes', () => {
  const goal = (d: DemoLatencyResult, which: number) => judgeGoals({ demoLatency: d })[which];

  it('meets the latency goal at 2x and misses it past 2x; judges nothing without forwarded shares', () => {
    expect(
      goal(demo(demoRun('in-process', 2, 2), demoRun('separate-processes', 1, 1), 2, 'p50'), 0),
    ).toMatchObject({
      target: `<= ${GOALS.maxDemoOverSeparateP50}x`,
      met: true,
      measured: expect.stringContaining('2x (2 ms in-process, 1 ms separate'),
    });
    expect(
      goal(demo(demoRun('in-process', 3, 3), demoRun('separate-processes', 1, 1), 3, 'p50'), 0)?.met,
    ).toBe(false);
    const none = demo(
      demoRun('in-process', null, null),
      demoRun('separate-processes', null, null),
      null,
      'mean',
    );
    expect(goal(none, 0)).toMatchObject({
      met: null,
      measured: expect.stringContaining('no forwarded shares'),
    });
  });

  it("fails the difficulty goal when a miner sits at the pool's difficulty", () => {
    const ok = demo(demoRun('in-process', 1, 1), demoRun('separate-processes', 1, 1), 1, 'p50');
    expect(goal(ok, 1)).toMatchObject({ met: true, measured: '2 of 2 (pool 0.0005)' });
    const capped = demo(demoRun('in-process', 1, 1, 1), demoRun('separate-processes', 1, 1), 1, 'p50');
    expect(goal(capped, 1)).toMatchObject({ met: false, measured: '1 of 2 (pool 0.0005)' });
  });

  it('has its own section with both setups and the miner difficulties', () => {
    const text = renderMarkdown({
      version: 1,
      mode: 'smoke',
      startedAt: '2026-01-01T00:00:00.000Z',
      durationSeconds: 1,
      machine,
      demoLatency: demo(demoRun('in-process', 1, 1.5), demoRun('separate-processes', 1, 1.2), 1, 'p50'),
      goals: [],
    });
    expect(text).toContain('### The demo against separate processes (2 s each, after 1 s)');
    expect(text).toContain('| `karoo start` (rack in worker threads) | 20 | 1 | 1 | 1.5 | 2 of 2 |');
    expect(text).toContain('nerd-01 0.00004, bitaxe-01 0.0002');
  });
});
