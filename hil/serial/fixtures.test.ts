import { describe, expect, it } from 'vitest';
import { systemClock } from '../../runtime/clock.js';
import type { Clock } from '../../runtime/clock.js';
import { BoardConsole } from './board-console.js';
import type { ConsoleEvent, ConsoleEventKind } from './console-events.js';
import { readSerialFixture } from './fixture-files.js';
import type { SerialFixture } from './fixture-files.js';
import { splitConsoleText } from './line-normaliser.js';
import { parseConsoleLine } from './parse-console-line.js';

const run = (kind: ConsoleEventKind, n: number): ConsoleEventKind[] => Array<ConsoleEventKind>(n).fill(kind);

function events(name: SerialFixture): ConsoleEvent[] {
  return splitConsoleText(readSerialFixture(name).toString('utf8')).map(parseConsoleLine);
}

/** Each line is one tick later than the last. */
function tickingClock(): Clock {
  let t = 0;
  return { ...systemClock, now: () => ++t };
}

function replay(name: SerialFixture): BoardConsole {
  const board = new BoardConsole({ name, clock: tickingClock() });
  for (const line of splitConsoleText(readSerialFixture(name).toString('utf8'))) board.feedLine(line);
  return board;
}

const of = <K extends ConsoleEventKind>(list: ConsoleEvent[], kind: K) =>
  list.filter((e): e is Extract<ConsoleEvent, { kind: K }> => e.kind === kind);

describe('nerdminer-boot-mining', () => {
  const list = events('nerdminer-boot-mining');

  it('yields the boot, connect, subscribe and mining sequence', () => {
    expect(list.map((e) => e.kind)).toEqual([
      ...run('boot', 2),
      ...run('unknown', 7),
      'boot',
      'config-loaded',
      ...run('unknown', 9),
      ...run('wifi-manager', 5),
      'wifi-connected',
      'ip-address',
      ...run('pool-setting', 5),
      'tasks-initiating',
      'task-started',
      'unknown',
      ...run('task-started', 3),
      'unknown',
      'hashrate',
      'miner-status',
      'pool-connecting',
      'pool-resolved',
      'wifi-connected',
      'subscribe-sent',
      'stratum-tx',
      'stratum-rx',
      'subscribe-details',
      ...run('extranonce', 2),
      'authorize-sent',
      ...run('stratum-tx', 2),
      ...run('stratum-rx', 3),
      'parsing-method',
      'difficulty',
      'stratum-rx',
      'parsing-method',
      'target',
      ...run('hashrate', 2),
      'stratum-tx',
      'share-diff',
      'share-pool-diff',
      'share-hash',
      'stratum-rx',
      'wifi-manager',
      'hashrate',
      'wifi-status',
      'hashrate',
      'wifi-connected',
      'hashrate',
      'stratum-rx',
      'parsing-method',
      'target',
      'stratum-tx',
      'share-diff',
      'share-pool-diff',
      'share-hash',
      'stratum-rx',
      'hashrate',
      'unknown',
    ]);
  });

  it('reads the details out of the lines', () => {
    expect(list[1]).toMatchObject({ kind: 'boot', stage: 'rom', resetReason: 'POWERON_RESET' });
    expect(of(list, 'pool-setting').map((e) => [e.key, e.value])).toEqual([
      ['pool', '192.168.1.10'],
      ['port', '3333'],
      ['password', 'x'],
      ['wallet', 'bc1qkarootestwallet0hil0fixture0000000000'],
      ['timezone', '1'],
    ]);
    expect(of(list, 'stratum-tx').map((e) => [e.payload.id, e.payload.method, e.payload.truncated])).toEqual([
      [1, 'mining.subscribe', false],
      [2, 'mining.authorize', false],
      [3, 'mining.suggest_difficulty', false],
      [4, 'mining.submit', false],
      [5, 'mining.submit', false],
    ]);
    expect(of(list, 'stratum-tx')[0]!.payload.json).toEqual({
      id: 1,
      method: 'mining.subscribe',
      params: ['NerdMinerV2/V1.8.3'],
    });
    expect(of(list, 'hashrate').map((e) => [e.khashes, e.khps])).toEqual([
      [0, 0],
      [164, 82.12],
      [503, 167.48],
      [848, 212.1],
      [1190, 228.4],
      [1532, 241.7],
      [1874, 252.3],
    ]);
    expect(of(list, 'share-hash')[0]!.hash).toMatch(/^[0-9a-f]{58}120000$/);
  });

  it('repairs the *wm: interleave inside the hashrate line', () => {
    const wm = of(list, 'wifi-manager').at(-1)!;
    expect(wm.message).toBe('[EVENT] WIFI_REASON:  8');
    const index = list.indexOf(wm);
    expect(list[index + 1]).toMatchObject({
      kind: 'hashrate',
      line: '>>> Completed 0 share(s), 848 Khashes, avg. hashrate 212.1 KH/s',
    });
  });

  it('aggregates into the board state', () => {
    const s = replay('nerdminer-boot-mining').state;
    expect(s).toMatchObject({
      firmware: 'nerdminer',
      boots: 1,
      resetReason: 'POWERON_RESET',
      wifiConnected: true,
      ip: '192.168.1.57',
      poolConnected: true,
      subscribed: true,
      authorized: true,
      extranonce1: 'e8a5b1c3',
      extranonce2Size: 4,
      difficulty: 0.00015,
      target: `${'0'.repeat(18)}02905c${'0'.repeat(40)}`,
      lastJob: { jobId: '1f3b', ntime: '65f1a2d1', cleanJobs: false },
      jobsReceived: 2,
      sharesSent: 2,
      sharesAccepted: 2,
      sharesRejected: 0,
      lastShare: { difficulty: 0.000187930212, poolDifficulty: 0.00015 },
      hashrateKhs: 252.3,
      reportedShares: 0,
      totalKHashes: 1874,
      stalls: 0,
      unknownLines: 19,
      lines: list.length,
    });
    expect(s.times.boot).toBeLessThan(s.times.subscribed!);
    expect(s.times.subscribed).toBeLessThan(s.times.authorized!);
    expect(s.times.authorized).toBeLessThan(s.times.lastAccepted!);
    // Wi-Fi dropped (status 5) after the first share and came back: the time is the reconnection.
    expect(s.times.wifiConnected).toBeGreaterThan(s.times.authorized!);
    expect(s.times.wifiConnected).toBeLessThan(s.times.lastAccepted!);
  });
});

describe('nerdminer-reject', () => {
  const list = events('nerdminer-reject');

  it('yields the submit / error / refuse sequence', () => {
    expect(list.map((e) => e.kind)).toEqual([
      'pool-connecting',
      'subscribe-sent',
      'stratum-tx',
      'stratum-rx',
      'subscribe-details',
      ...run('extranonce', 2),
      'authorize-sent',
      ...run('stratum-tx', 2),
      ...run('stratum-rx', 2),
      'parsing-method',
      'difficulty',
      'stratum-rx',
      'parsing-method',
      'target',
      'hashrate',
      'stratum-tx',
      'share-diff',
      'share-pool-diff',
      'share-hash',
      'stratum-rx',
      'parsing-method',
      'difficulty',
      'stratum-rx',
      'stratum-error',
      'share-refused',
      'stratum-rx',
      'parsing-method',
      'target',
      'stratum-tx',
      'share-diff',
      'share-pool-diff',
      'share-hash',
      'stratum-rx',
      'stratum-error',
      'share-refused',
      'stratum-rx',
      'ignored-message',
      'stratum-tx',
      'share-diff',
      'share-pool-diff',
      'share-hash',
      'stratum-rx',
      'hashrate',
      'stratum-tx',
      'share-diff',
      'share-pool-diff',
      'share-hash',
      'stratum-rx',
      'stratum-error',
      'share-refused',
      'hashrate',
    ]);
    expect(of(list, 'stratum-error').map((e) => [e.code, e.reason])).toEqual([
      [23, 'Low difficulty share'],
      [21, 'Job not found (=stale)'],
      [23, 'Low difficulty share'],
    ]);
    expect(of(list, 'share-refused').map((e) => e.id)).toEqual([4, 5, 7]);
    expect(of(list, 'stratum-rx').at(-1)!.payload).toMatchObject({
      truncated: true,
      id: 7,
      json: { id: 7, result: null, error: [23] },
    });
  });

  it('counts each rejected share once, even when its answer line was cut', () => {
    const s = replay('nerdminer-reject').state;
    expect(s).toMatchObject({
      sharesSent: 4,
      sharesAccepted: 1,
      sharesRejected: 3,
      difficulty: 0.002,
      ignoredMessages: 1,
      lastReject: { id: 7, code: 23 },
      lastStratumError: { code: 23, reason: 'Low difficulty share' },
      lastJob: { jobId: 'a8', cleanJobs: true },
      jobsReceived: 2,
    });
  });
});

describe('nerdminer-stall', () => {
  const list = events('nerdminer-stall');

  it('yields keepalives, the stall, a failed and a good reconnect', () => {
    expect(list.map((e) => e.kind)).toEqual([
      'pool-connecting',
      'subscribe-sent',
      'stratum-tx',
      'stratum-rx',
      'subscribe-details',
      ...run('extranonce', 2),
      'authorize-sent',
      ...run('stratum-tx', 2),
      ...run('stratum-rx', 2),
      'parsing-method',
      'difficulty',
      'hashrate',
      'miner-status',
      'hashrate',
      'miner-status',
      'keepalive',
      'stratum-tx',
      'stratum-rx',
      'hashrate',
      'miner-status',
      'keepalive',
      'stratum-tx',
      'hashrate',
      'miner-status',
      'pool-stall',
      'miner-status',
      'pool-connecting',
      'pool-connect-failed',
      'pool-resolved',
      'miner-status',
      'subscribe-sent',
      'stratum-tx',
      'pool-connecting',
      'subscribe-sent',
      'stratum-tx',
      'stratum-rx',
      'subscribe-details',
      ...run('extranonce', 2),
      'authorize-sent',
      ...run('stratum-tx', 2),
      ...run('stratum-rx', 2),
      'parsing-method',
      'difficulty',
      'stratum-rx',
      'parsing-method',
      'target',
      'hashrate',
    ]);
  });

  it('tracks the stall and the recovery', () => {
    const board = new BoardConsole({ clock: tickingClock() });
    const states: { kind: string; connected: boolean; subscribed: boolean }[] = [];
    board.on('event', (event, state) => {
      if (['pool-stall', 'pool-connect-failed', 'target'].includes(event.kind)) {
        states.push({ kind: event.kind, connected: state.poolConnected, subscribed: state.subscribed });
      }
    });
    for (const line of splitConsoleText(readSerialFixture('nerdminer-stall').toString('utf8')))
      board.feedLine(line);
    expect(states).toEqual([
      { kind: 'pool-stall', connected: false, subscribed: false },
      { kind: 'pool-connect-failed', connected: false, subscribed: false },
      { kind: 'target', connected: true, subscribed: true },
    ]);
    expect(board.state).toMatchObject({
      keepalives: 2,
      stalls: 1,
      connectFailures: 1,
      extranonce1: '5c0ffee2',
      jobsReceived: 1,
      hashrateKhs: 85.44,
    });
  });
});

describe('bitaxe-esp-idf', () => {
  const list = events('bitaxe-esp-idf');

  it('yields the ESP-IDF boot and Stratum sequence with colours stripped', () => {
    expect(list.map((e) => e.kind)).toEqual([
      'boot',
      'unknown',
      'boot',
      ...run('unknown', 4),
      'boot',
      ...run('esp-log', 6),
      'boot',
      ...run('esp-log', 3),
      ...run('ip-address', 2),
      'wifi-connected',
      'unknown',
      ...run('esp-log', 3),
      'pool-connecting',
      ...run('esp-log', 2),
      ...run('stratum-tx', 3),
      'stratum-rx',
      'version-mask',
      'stratum-rx',
      'extranonce',
      'stratum-rx',
      'setup-result',
      'stratum-tx',
      'stratum-rx',
      'difficulty',
      'stratum-rx',
      ...run('esp-log', 2),
      'asic-nonce',
      'stratum-tx',
      'stratum-rx',
      'share-result',
      'esp-log',
      ...run('asic-nonce', 2),
      'stratum-tx',
      'stratum-rx',
      'share-result',
      'stratum-rx',
      'stratum-tx',
      ...run('pool-disconnected', 2),
      'pool-connecting',
      'pool-connect-failed',
    ]);
    expect(list.every((e) => !e.line.includes('\x1b'))).toBe(true);
    expect(list.filter((e) => e.esp !== undefined).map((e) => e.esp!.level)).toContain('W');
    expect(of(list, 'stratum-tx').map((e) => e.payload.method)).toEqual([
      'mining.configure',
      'mining.subscribe',
      'mining.authorize',
      'mining.suggest_difficulty',
      'mining.submit',
      'mining.submit',
      'pong',
    ]);
    expect(of(list, 'share-result').map((e) => [e.accepted, e.reason])).toEqual([
      [true, undefined],
      [false, 'Low difficulty share'],
    ]);
  });

  it('aggregates without counting a share twice', () => {
    const s = replay('bitaxe-esp-idf').state;
    expect(s).toMatchObject({
      firmware: 'bitaxe',
      boots: 1,
      resetReason: 'POWERON',
      wifiConnected: true,
      ip: '192.168.1.61',
      versionMask: '1fffe000',
      extranonce1: '7f3c0a12',
      extranonce2Size: 8,
      difficulty: 1000,
      jobsReceived: 1,
      lastJob: { jobId: '5e1b7a90', cleanJobs: true },
      sharesSent: 2,
      sharesAccepted: 1,
      sharesRejected: 1,
      lastReject: { id: 6, code: 23, reason: 'Low difficulty share' },
      lastShare: { difficulty: 1187, poolDifficulty: 1000 },
      poolConnected: false,
      subscribed: false,
      connectFailures: 1,
    });
    expect(s.hashrateKhs).toBeUndefined();
  });
});
