import type { BenchPlan } from './bench-options.js';
import type { MachineInfo } from './machine.js';
import type { ConnectionsResult } from './suites/connections.js';
import type { DemoLatencyResult, DemoRun } from './suites/demo-latency.js';
import { PATHS } from './suites/latency.js';
import type { LatencyResult } from './suites/latency.js';
import type { ShareRateResult } from './suites/share-rate.js';
import { round } from './summary.js';

/** The goals from the project brief; reported against, never asserted in tests. */
export const GOALS = {
  /** Karoo's added p99 submit latency at most this many times a plain relay's. */
  maxAddedP99OverRelay: 1.2,
  checksPerSecondPerCore: 40_000,
  /** CPU per answered submit, 10 sessions x 1 in flight, every share refused (ckpool: 65-76 µs). */
  cpuMicrosPerSubmit: 50,
  sessions: 100_000,
  /** ckpool in proxy mode holds an idle session in 5.5 KB. */
  rssPerSessionBytes: 5 * 1024,
  notifyAllMs: 250,
  /** `--workers N`: 100,000 idle sessions held in this much RSS, all processes summed... */
  clusterTotalRssBytes: 600_000_000,
  /** ...and one notify reaching all of them within this. */
  clusterNotifyAllMs: 1500,
  /** `npm start`'s p50 pool round trip at most this many times the same rack as separate processes'. */
  maxDemoOverSeparateP50: 2,
} as const;

export interface BenchResults {
  version: 1;
  mode: BenchPlan['mode'];
  startedAt: string;
  durationSeconds: number;
  machine: MachineInfo;
  latency?: LatencyResult;
  shareRate?: ShareRateResult;
  connections?: ConnectionsResult;
  demoLatency?: DemoLatencyResult;
  goals: GoalVerdict[];
}

export interface GoalVerdict {
  goal: string;
  target: string;
  measured: string;
  /** null when this run could not judge it (suite skipped, or no baseline to compare with). */
  met: boolean | null;
}

const n = (v: number, digits = 3): string => round(v, digits).toLocaleString('en-US');
const us = (v: number): string => `${n(v)} µs`;
const signed = (v: number): string => `${v >= 0 ? '+' : ''}${n(v)}`;

export function judgeGoals(
  r: Pick<BenchResults, 'latency' | 'shareRate' | 'connections' | 'demoLatency'>,
): GoalVerdict[] {
  const out: GoalVerdict[] = [];
  if (r.latency) {
    const ratio = r.latency.karooOverRelayP99;
    out.push({
      goal: 'added p99 submit latency vs a plain relay',
      target: `<= ${GOALS.maxAddedP99OverRelay}x`,
      measured:
        ratio === null
          ? `relay added ${us(r.latency.added.relay.p99)}, Karoo ${us(r.latency.added.karoo.p99)}: no ratio`
          : `${n(ratio)}x every share forwarded (Karoo ${signed(r.latency.added.karoo.p99)} µs, relay ${signed(r.latency.added.relay.p99)} µs); ` +
            `${ratioText(r.latency.karooLocalOverRelayP99)} answering locally only`,
      met:
        ratio === null ? (r.latency.added.karoo.p99 <= 0 ? true : null) : ratio <= GOALS.maxAddedP99OverRelay,
    });
  }
  if (r.shareRate) {
    out.push({
      goal: 'share checks per second per core',
      target: `>= ${n(GOALS.checksPerSecondPerCore)}`,
      measured: n(r.shareRate.checksPerSecond),
      met: r.shareRate.checksPerSecond >= GOALS.checksPerSecondPerCore,
    });
    const cpu = r.shareRate.cpuPerSubmit;
    if (cpu) {
      const k = cpu.karoo.cpuMicros;
      out.push({
        goal: `CPU per answered submit (${cpu.sessions} sessions x 1 in flight, every share refused)`,
        target: `<= ${GOALS.cpuMicrosPerSubmit} µs`,
        measured:
          k === null
            ? 'not measurable here (no /proc)'
            : `${us(k)} (the relay: ${cpu.relay.cpuMicros === null ? 'n/a' : us(cpu.relay.cpuMicros)}; ${ratioText(cpu.karooOverRelay)})`,
        met: k === null ? null : k <= GOALS.cpuMicrosPerSubmit,
      });
    }
  }
  if (r.connections) {
    const c = r.connections;
    out.push({
      goal: 'concurrent sessions',
      target: `${n(GOALS.sessions)}`,
      measured: `${n(c.ready, 6)}${c.limitedBy ? ` (limited by ${c.limitedBy})` : ''}`,
      met: c.ready >= GOALS.sessions,
    });
    const worst = c.notify.allReachedMs.max;
    if (c.proxyProcesses > 1) {
      out.push({
        goal: `total RSS of the proxy's ${c.proxyProcesses} processes (--workers ${c.proxyProcesses - 1}), idle`,
        target: `<= ${n(GOALS.clusterTotalRssBytes / 1e6)} MB`,
        measured: `${n(c.proxy.after.rss / 1e6)} MB at ${n(c.ready, 6)} sessions (VmRSS summed)`,
        met: c.proxy.after.rss <= GOALS.clusterTotalRssBytes,
      });
      // Summed VmRSS counts Node's own code (one file's pages, ~40 MB) once per process; what the
      // machine spends counts it once.
      const machine = c.proxy.after.machine;
      if (machine !== undefined)
        out.push({
          goal: '... the same counting the pages they share (Node’s code) once',
          target: `<= ${n(GOALS.clusterTotalRssBytes / 1e6)} MB`,
          measured: `${n(machine / 1e6)} MB`,
          met: machine <= GOALS.clusterTotalRssBytes,
        });
      out.push({
        goal: 'one notify reaching every session across the workers',
        target: `<= ${n(GOALS.clusterNotifyAllMs)} ms`,
        measured: `${n(worst)} ms worst of ${c.notify.rounds.length} at ${n(c.ready, 6)} sessions`,
        met: worst <= GOALS.clusterNotifyAllMs && c.notify.missing === 0,
      });
    } else {
      out.push({
        goal: 'proxy RSS per session',
        target: `<= ${GOALS.rssPerSessionBytes / 1024} KB`,
        measured: `${n(c.proxy.rssPerSessionBytes / 1024)} KB at ${n(c.ready, 6)} sessions`,
        met: c.proxy.rssPerSessionBytes <= GOALS.rssPerSessionBytes,
      });
      const floor = c.floor?.allReachedMs.max;
      out.push({
        goal: 'one notify reaching every session',
        target: `<= ${GOALS.notifyAllMs} ms`,
        measured:
          `${n(worst)} ms worst of ${c.notify.rounds.length} at ${n(c.ready, 6)} sessions` +
          (floor === undefined
            ? ''
            : ` (a bare Node stub: ${n(floor)} ms, ${ratioText(floor > 0 ? worst / floor : null)})`),
        met: worst <= GOALS.notifyAllMs && c.notify.missing === 0,
      });
    }
  }
  if (r.demoLatency) out.push(...demoGoals(r.demoLatency));
  return out;
}

function demoGoals(d: DemoLatencyResult): GoalVerdict[] {
  const ms = (v: number | null): string => (v === null ? 'n/a' : `${n(v)} ms`);
  const figure = (run: DemoRun): string =>
    d.ratioOf === 'p50' ? ms(run.p50Ms) : `mean ${ms(run.meanMs)} (p50 ${ms(run.p50Ms)})`;
  const below = (run: DemoRun): string =>
    `${run.miners.length - run.atPoolDifficulty} of ${run.miners.length}`;
  return [
    {
      goal: "npm start's p50 submit latency vs the same rack as separate processes",
      target: `<= ${GOALS.maxDemoOverSeparateP50}x`,
      measured:
        d.ratio === null
          ? `no forwarded shares to time (in-process ${d.inProcess.forwarded}, separate ${d.separate.forwarded})`
          : `${n(d.ratio)}x (${figure(d.inProcess)} in-process, ${figure(d.separate)} separate; ` +
            `${d.inProcess.forwarded} and ${d.separate.forwarded} forwarded shares)`,
      met: d.ratio === null ? null : d.ratio <= GOALS.maxDemoOverSeparateP50,
    },
    {
      goal: "npm start: every miner's difficulty differs from the pool's",
      target: 'all',
      measured: `${below(d.inProcess)} (pool ${d.inProcess.poolDifficulty ?? 'n/a'})`,
      met: d.inProcess.miners.length === 0 ? null : d.inProcess.atPoolDifficulty === 0,
    },
  ];
}

function demoSection(d: DemoLatencyResult): string {
  const ms = (v: number | null): string => (v === null ? 'n/a' : n(v));
  const rows = [d.inProcess, d.separate].map((run) => [
    run.setup === 'in-process'
      ? '`karoo start` (rack in worker threads)'
      : '`karoo pool` + `karoo proxy` + `karoo miners`',
    String(run.forwarded),
    ms(run.p50Ms),
    ms(run.p95Ms),
    ms(run.meanMs),
    `${run.miners.length - run.atPoolDifficulty} of ${run.miners.length}`,
  ]);
  const diffs = d.inProcess.miners
    .map((m) => `${m.worker.replace(/^.*\./, '')} ${m.difficulty ?? '-'}`)
    .join(', ');
  return [
    `### The demo against separate processes (${n(d.plan.measureMs / 1000)} s each, after ${n(d.plan.warmupMs / 1000)} s)`,
    '',
    table(['setup', 'forwarded', 'p50 ms', 'p95 ms', 'mean ms', 'miners below the pool difficulty'], rows),
    '',
    `Pool round trip of forwarded shares as the dashboard shows it (GET /events \`pool-share\`). ` +
      `Ratio ${d.ratio === null ? 'n/a' : `${n(d.ratio)}x`} (${d.ratioOf}). Miner difficulties in \`karoo start\` ` +
      `(pool ${d.inProcess.poolDifficulty ?? 'n/a'}): ${diffs}.`,
  ].join('\n');
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const ratioText = (r: number | null): string => (r === null ? 'n/a' : `${n(r)}x`);

function latencySection(l: LatencyResult): string {
  const names = {
    direct: 'direct to the pool simulator',
    relay: 'plain TCP relay',
    karoo: 'Karoo (every share forwarded)',
    karooLocal: 'Karoo (shares answered locally only)',
  } as const;
  const rows = PATHS.map((p) => {
    const d = l.paths[p];
    return [names[p], n(d.p50), n(d.p90), n(d.p99), n(d.p999), n(d.max), String(l.rejected[p])];
  });
  return [
    `### Submit round trip (one in flight, ${n(l.plan.submits, 6)} per path)`,
    '',
    table(['path', 'p50 µs', 'p90 µs', 'p99 µs', 'p99.9 µs', 'max µs', 'rejected'], rows),
    '',
    `Added over direct: relay p50 ${signed(l.added.relay.p50)} µs, p99 ${signed(l.added.relay.p99)} µs; ` +
      `Karoo p50 ${signed(l.added.karoo.p50)} µs, p99 ${signed(l.added.karoo.p99)} µs ` +
      `(answering locally only: p50 ${signed(l.added.karooLocal.p50)} µs, p99 ${signed(l.added.karooLocal.p99)} µs). ` +
      `Karoo/relay added p99: ${ratioText(l.karooOverRelayP99)} (${ratioText(l.karooLocalOverRelayP99)} answering locally only).`,
  ].join('\n');
}

function shareRateSection(s: ShareRateResult): string {
  const e = s.endToEnd;
  const rows = [
    ['sha256d of an 80-byte header (baseline)', n(s.headerHashesPerSecond)],
    [
      `checkShare, ${s.merkleBranches} merkle branches`,
      `${n(s.checksPerSecond)} (${n(s.headerHashesPerCheck)} header hashes each)`,
    ],
    ['parseMessage + checkShare', n(s.parseAndCheckPerSecond)],
    [
      `end to end through Karoo (${s.plan.connections} connections x ${s.plan.window} in flight)`,
      `${n(e.answersPerSecond)} answered (${n(e.accepted, 6)} of ${n(e.answers, 6)} accepted)` +
        (e.proxyCores === null
          ? ''
          : `; proxy used ${n(e.proxyCores)} cores = ${n(e.answersPerProxyCoreSecond ?? 0)} per core-second`),
    ],
  ];
  const cpu = s.cpuPerSubmit;
  if (cpu) {
    const per = (c: { answers: number; refused: number; cpuMicros: number | null }): string =>
      `${c.cpuMicros === null ? 'n/a' : us(c.cpuMicros)} CPU per answer (${n(c.answers, 6)} answered, ${n(c.refused, 6)} refused)`;
    rows.push([`${cpu.sessions} sessions x 1 in flight, every share refused: Karoo`, per(cpu.karoo)]);
    rows.push([`... Karoo, a new extranonce2 every share (the full check each time)`, per(cpu.karooRolling)]);
    rows.push([`... the same through the plain relay`, per(cpu.relay)]);
  }
  return ['### Share checks on one core', '', table(['measurement', 'per second'], rows)].join('\n');
}

function connectionsSection(c: ConnectionsResult): string {
  const kb = (b: number): string => `${n(b / 1024)} KB`;
  const mib = (b: number): string => `${n(b / 2 ** 20)} MiB`;
  const rows = [
    [
      'sessions ready / attempted',
      `${n(c.ready, 6)} / ${n(c.attempted, 6)}${c.limitedBy ? ` (asked ${n(c.plan.sessions, 6)}; limited by ${c.limitedBy})` : ''}`,
    ],
    ['failed / closed after ready', `${c.failed} ${JSON.stringify(c.errors)} / ${c.closedAfterReady}`],
    [
      'miner processes x source addresses',
      `${c.minerProcesses} x ${c.sourceAddresses.length} (${c.sourceAddresses[0]}..${c.sourceAddresses[c.sourceAddresses.length - 1]})`,
    ],
    [
      'ramp (connect, subscribe, authorize, first job)',
      `${n(c.rampSeconds)} s, ${n(c.sessionsPerSecond)} sessions/s`,
    ],
    [
      c.proxyProcesses > 1
        ? `proxy RSS before / after (primary + ${c.proxyProcesses - 1} workers, summed)`
        : 'proxy RSS before / after',
      `${mib(c.proxy.before.rss)} / ${mib(c.proxy.after.rss)}`,
    ],
    [
      c.proxyProcesses > 1
        ? 'idle reading taken after the ramp (left quiet: V8 gives back the young generations by itself)'
        : 'idle reading taken after the ramp (young generation given back)',
      `${n(c.proxy.idleAfterMs / 1000)} s`,
    ],
    ...(c.proxy.after.machine === undefined
      ? []
      : [
          [
            "memory the machine spends, idle (private pages summed, Node's shared code once)",
            mib(c.proxy.after.machine),
          ],
        ]),
    ['proxy RSS per session, idle', kb(c.proxy.rssPerSessionBytes)],
    ['... 1 s after the ramp (its young generation still held)', kb(c.proxy.rssPerSessionAfterRampBytes)],
    [
      '... after the notifies (young generation grown back)',
      kb(c.proxy.rssPerSessionAfterNotifiesBytes) +
        (c.proxy.afterNotifies.machine === undefined
          ? ''
          : `; the machine spends ${mib(c.proxy.afterNotifies.machine)}`),
    ],
    [
      'proxy JS heap per session',
      Number.isFinite(c.proxy.heapPerSessionBytes) ? kb(c.proxy.heapPerSessionBytes) : 'n/a (in the workers)',
    ],
    ...c.notify.rounds.map((d, i) => [
      `notify ${i + 1}: ms to p50 / p99 / all sessions`,
      `${n(d.p50)} / ${n(d.p99)} / ${n(d.max)}`,
    ]),
  ];
  if (c.broadcastLoopMs.length > 0) {
    const worst = Math.max(...c.broadcastLoopMs);
    rows.push([
      "Karoo's broadcast loop (encode + write to every session), worst round",
      `${n(worst)} ms = ${n((worst * 1000) / c.ready)} µs per session`,
    ]);
  }
  if (c.notify.missing > 0) rows.push(['sessions that missed a notify', String(c.notify.missing)]);
  if (c.floor) {
    const f = c.floor;
    const worst = f.allReachedMs.max;
    const worstLoop = Math.max(...f.loopMs);
    rows.push(
      ...f.rounds.map((d, i) => [
        `floor ${i + 1} (a bare Node stub, ${n(f.ready, 6)} sessions): ms to p50 / p99 / all`,
        `${n(d.p50)} / ${n(d.p99)} / ${n(d.max)}`,
      ]),
      [
        "the stub's write loop, worst round",
        `${n(worstLoop)} ms = ${n((worstLoop * 1000) / f.ready)} µs per session`,
      ],
      [
        'Karoo / floor, worst round to all sessions',
        `${n(c.notify.allReachedMs.max)} / ${n(worst)} ms = ${ratioText(worst > 0 ? c.notify.allReachedMs.max / worst : null)}`,
      ],
    );
    if (f.missing > 0) rows.push(['sessions the floor missed', String(f.missing)]);
  }
  const parts = ['### Concurrent miners', '', table(['measurement', 'value'], rows)];
  if (c.heapPerSession !== null && c.heapPerSession !== undefined) {
    const total = c.heapPerSession.reduce((a, s) => a + s.bytes, 0);
    parts.push(
      '',
      `JS heap per session by constructor (heap snapshots after and before the sessions, self sizes): ${n(total)} bytes`,
      '',
      table(
        ['constructor', 'objects per session', 'bytes per session'],
        c.heapPerSession.map((s) => [s.name, n(s.count), n(s.bytes)]),
      ),
    );
  }
  return parts.join('\n');
}

export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const parts = [
    `## Karoo benchmark (${r.mode}), ${r.startedAt}`,
    '',
    `Machine: ${m.cpuModel}, ${m.cpus} CPUs, ${m.memoryGiB} GiB, Node ${m.node} (V8 ${m.v8}), ${m.os}` +
      `${m.commit ? `, commit ${m.commit}` : ''}; load average ${m.loadAverage} at the start. Took ${n(r.durationSeconds)} s.`,
  ];
  if (r.latency) parts.push('', latencySection(r.latency));
  if (r.shareRate) parts.push('', shareRateSection(r.shareRate));
  if (r.connections) parts.push('', connectionsSection(r.connections));
  if (r.demoLatency) parts.push('', demoSection(r.demoLatency));
  if (r.goals.length > 0) {
    const mark = (met: boolean | null): string => (met === null ? 'n/a' : met ? 'yes' : 'no');
    parts.push(
      '',
      '### Goals',
      '',
      table(
        ['goal', 'target', 'measured', 'met'],
        r.goals.map((g) => [g.goal, g.target, g.measured, mark(g.met)]),
      ),
    );
  }
  return `${parts.join('\n')}\n`;
}
