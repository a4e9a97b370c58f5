import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../runtime/test-support/manual-clock.js';
import type { BoardHandle } from '../boards/serial-board.js';
import { SerialControlError } from '../errors.js';
import { BoardConsole } from '../serial/board-console.js';
import { bootsAndConnects } from '../scenarios/boots-and-connects.js';
import type { Scenario, ScenarioContext } from '../scenarios/scenario.js';
import type { Bench, BenchCapability, StratumSessionView } from './bench.js';
import type { ProgressEvent } from './progress-event.js';
import { runSuite } from './run-suite.js';
import { onManualClock } from '../test-support/run-scripted.js';
import { VIRTUAL_TIMING } from './timing.js';

// Every wait below runs on a manual clock: the bounds are exact and nothing waits in real time.
let clock: ManualClock;
beforeEach(() => {
  clock = new ManualClock(1_750_000_000_000);
});

/** runSuite on the manual clock, advanced until the suite ends. */
function run(options: Omit<Parameters<typeof runSuite>[0], 'clock'>) {
  return onManualClock(clock, runSuite({ ...options, clock }));
}

const BOOT = ['rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)', 'NerdMiner v2 starting......'];

function fakeBoard(name: string, onReset: (console: BoardConsole) => void = () => undefined) {
  const console = new BoardConsole({ name, clock });
  const board: BoardHandle & { resets: number } = {
    name,
    info: { path: `/dev/fake-${name}`, source: 'explicit' },
    console,
    resets: 0,
    async reset() {
      board.resets++;
      onReset(console);
    },
    async close() {},
  };
  return board;
}

function fakeBench(sessions: StratumSessionView[] = [], capabilities: BenchCapability[] = []): Bench {
  return {
    kind: 'proxy',
    stratumUrl: 'stratum+tcp://127.0.0.1:3334',
    proxyUrl: 'http://127.0.0.1:8080',
    capabilities: new Set(capabilities),
    pool: undefined,
    sessions: async () => sessions,
    upstream: async () => undefined,
    close: async () => undefined,
  };
}

function scenario(
  name: string,
  run: (ctx: ScenarioContext) => Promise<void>,
  over: Partial<Scenario> = {},
): Scenario {
  return { name, title: `${name} title`, timeoutMs: () => 5000, run, ...over };
}

const timing = { ...VIRTUAL_TIMING, bootMs: 300, sessionMs: 300, pollMs: 10 };
const suiteBoard = (handle: BoardHandle) => ({ handle, virtual: true, hashrateBandKhs: [1, 100] as const });

const SUBSCRIBED_AND_JOB = [
  '[WORKER] ==> Mining subscribe',
  '    extranonce1: e8a5b1c3',
  '  Receiving: {"id":null,"method":"mining.notify","params":["1f3a","cd9c7b86fe2e67c0aef4768a672e290f97af41e290dbbdc4e4d8e6442545cf69","01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff17032a6e7ab915","ffffffff0100f2052a01000000160014009b9b0c6011e6b279614ccfdad1039b1f5d88b900000000",["b4f07e142b3c199761998279840775a2a2ebfeae215fc89d9131dadbf20b0b1e"],"20000000","1702905c","65f1a2b3",true]}',
];

/** A board whose reset never returns (a port that stopped answering on a flaky hub). */
function hangingResetBoard(name: string) {
  const board = fakeBoard(name);
  return { ...board, reset: () => new Promise<void>(() => undefined) };
}

/** Scenario that makes the board mine on its own (it reconnects by itself) and waits for it. */
const minesAfterAll = scenario('mines', async (ctx) => {
  setImmediate(() => SUBSCRIBED_AND_JOB.forEach((l) => ctx.board.console.feedLine(l)));
  await ctx.ensureMining();
});

describe('runSuite', () => {
  it('records a failed check with its code and the console lines of the case (led by those just before)', async () => {
    const board = fakeBoard('fake-1');
    const result = await run({
      boards: [suiteBoard(board)],
      bench: fakeBench(),
      timing,
      scenarios: [
        scenario('first', async () => {
          board.console.feedLine('line of the first case');
        }),
        scenario('second', async (ctx: ScenarioContext) => {
          board.console.feedLine('  Receiving: {"id":4,"result":false,"error":[23,"Low difficulty",null]}');
          ctx.detail('answer', 'rejected');
          ctx.observe('finding', 'rejected at the proxy');
          ctx.check(false, 'the share was rejected');
        }),
      ],
    });
    expect(result.totals).toEqual({ tests: 2, passed: 1, failed: 1, skipped: 0 });
    const failed = result.cases[1]!;
    expect(failed).toMatchObject({
      board: 'fake-1',
      scenario: 'second',
      title: 'second title',
      status: 'failed',
      message: 'the share was rejected',
      errorCode: 'SCENARIO_ASSERTION',
      details: { answer: 'rejected' },
      observations: [{ kind: 'finding', message: 'rejected at the proxy' }],
    });
    expect(failed.excerpt.map((l) => l.line)).toEqual([
      'line of the first case',
      '  Receiving: {"id":4,"result":false,"error":[23,"Low difficulty",null]}',
    ]);
    expect(result.cases[0]!.excerpt.map((l) => l.line)).toEqual(['line of the first case']);
  });

  it('skips a scenario whose bench capability is missing, saying why', async () => {
    let ran = false;
    const result = await run({
      boards: [suiteBoard(fakeBoard('fake-1'))],
      bench: fakeBench(),
      timing,
      scenarios: [
        scenario(
          'needs-pool',
          async () => {
            ran = true;
          },
          { needs: ['pool-control'] },
        ),
        scenario('skips-itself', async (ctx) => ctx.skip('not for this firmware')),
      ],
    });
    expect(ran).toBe(false);
    expect(result.cases.map((c) => [c.status, c.message])).toEqual([
      ['skipped', expect.stringContaining('not available with --proxy')],
      ['skipped', 'not for this firmware'],
    ]);
  });

  it('fails a scenario that runs past its overall bound with SCENARIO_TIMEOUT and goes on', async () => {
    const board = fakeBoard('fake-1');
    const result = await run({
      boards: [suiteBoard(board)],
      bench: fakeBench(),
      timing,
      scenarios: [
        scenario(
          'hangs',
          async (ctx) => {
            await ctx.board.console.waitFor((s) => s.subscribed, { timeoutMs: 2000 });
          },
          { timeoutMs: () => 50 },
        ),
        scenario('next', async () => undefined),
      ],
    });
    expect(result.cases.map((c) => [c.status, c.errorCode])).toEqual([
      ['failed', 'SCENARIO_TIMEOUT'],
      ['passed', undefined],
    ]);
    expect(result.cases[0]!.message).toBe('scenario hangs did not finish within 50 ms');
  });

  it('boots-and-connects fails when the board boots but does not subscribe within T', async () => {
    const board = fakeBoard('fake-1', (c) => BOOT.forEach((l) => c.feedLine(l)));
    const result = await run({
      boards: [suiteBoard(board)],
      bench: fakeBench(),
      timing,
      scenarios: [bootsAndConnects],
    });
    expect(board.resets).toBe(1);
    const [c] = result.cases;
    expect(c).toMatchObject({ status: 'failed', errorCode: 'CONSOLE_WAIT_TIMEOUT' });
    expect(c!.message).toMatch(/within 300 ms of reset/);
    expect(c!.excerpt.map((l) => l.line)).toEqual(BOOT);
  });

  it('a reset that never answers fails that case with BOARD_RESET_TIMEOUT; the next case waits instead of resetting', async () => {
    const board = hangingResetBoard('flaky-1');
    const events: ProgressEvent[] = [];
    const result = await run({
      boards: [suiteBoard(board)],
      bench: fakeBench(),
      timing: { ...timing, resetMs: 50, bootMs: 5000 },
      scenarios: [bootsAndConnects, minesAfterAll],
      onProgress: (e) => events.push(e),
    });
    expect(result.cases.map((c) => [c.scenario, c.status, c.errorCode])).toEqual([
      ['boots-and-connects', 'failed', 'BOARD_RESET_TIMEOUT'],
      ['mines', 'passed', undefined],
    ]);
    expect(result.cases[0]!.message).toBe('reset of flaky-1 did not finish within 50 ms');
    expect(result.cases[1]!.observations).toEqual([
      {
        kind: 'info',
        message:
          'an earlier reset failed (reset of flaky-1 did not finish within 50 ms): waiting for the board to connect',
      },
    ]);
    expect(events.at(-1)?.type).toBe('suite-end');
    expect(board.console.listenerCount('event')).toBe(0);
  });

  it('a reset that fails fails that case with the reset error code and moves on', async () => {
    const board = fakeBoard('pty-1');
    board.reset = () =>
      Promise.reject(new SerialControlError('set', new Error('Inappropriate ioctl for device')));
    const result = await run({
      boards: [suiteBoard(board)],
      bench: fakeBench(),
      timing,
      scenarios: [bootsAndConnects, minesAfterAll],
    });
    expect(result.cases.map((c) => [c.status, c.errorCode, c.message])).toEqual([
      ['failed', 'SERIAL_CONTROL_FAILED', 'serial set failed: Inappropriate ioctl for device'],
      ['passed', undefined, undefined],
    ]);
  });

  it('a board gone mid-case fails it with BOARD_GONE at once and its later cases too; the other board runs on', async () => {
    const lost = fakeBoard('lost-1');
    const kept = fakeBoard('kept-2');
    const waits = scenario('waits', async (ctx) => {
      if (ctx.board === lost)
        setImmediate(() => lost.console.markGone('serial port /dev/fake-lost-1 closed'));
      else setImmediate(() => SUBSCRIBED_AND_JOB.forEach((l) => kept.console.feedLine(l)));
      await ctx.board.console.waitFor((s) => s.subscribed, { timeoutMs: 60_000 });
    });
    const after = scenario('after', async (ctx) => {
      await ctx.ensureMining();
    });
    const result = await run({
      boards: [suiteBoard(lost), suiteBoard(kept)],
      bench: fakeBench(),
      timing: { ...timing, bootMs: 60_000 },
      scenarios: [waits, after],
    });
    expect(result.cases.map((c) => [c.board, c.scenario, c.status, c.errorCode])).toEqual([
      ['lost-1', 'waits', 'failed', 'BOARD_GONE'],
      ['kept-2', 'waits', 'passed', undefined],
      ['lost-1', 'after', 'failed', 'BOARD_GONE'],
      ['kept-2', 'after', 'passed', undefined],
    ]);
    expect(result.cases[2]!.message).toBe('board lost-1 is gone: serial port /dev/fake-lost-1 closed');
    expect(result.totals).toEqual({ tests: 4, passed: 2, failed: 2, skipped: 0 });
  });

  it('does not reset real boards with reset off, and skips the boot scenario', async () => {
    const board = fakeBoard('real-1');
    const result = await run({
      boards: [{ handle: board, virtual: false, hashrateBandKhs: [40, 450] }],
      bench: fakeBench(),
      timing,
      reset: false,
      scenarios: [bootsAndConnects],
    });
    expect(board.resets).toBe(0);
    expect(result.cases[0]).toMatchObject({
      status: 'skipped',
      message: expect.stringContaining('--no-reset'),
    });
  });

  it('runs a shared action once for all boards; a failing cleanup fails the passed cases', async () => {
    let actions = 0;
    const boards = [fakeBoard('fake-1'), fakeBoard('fake-2')];
    const result = await run({
      boards: boards.map(suiteBoard),
      bench: fakeBench(),
      timing,
      scenarios: [
        scenario(
          'shared',
          async (ctx) => {
            const n = await ctx.together('act', async () => ++actions);
            ctx.detail('n', n);
          },
          {
            cleanup: async () => {
              throw new Error('could not put the difficulty back');
            },
          },
        ),
      ],
    });
    expect(actions).toBe(1);
    expect(result.cases.map((c) => [c.board, c.status, c.details.n])).toEqual([
      ['fake-1', 'failed', 1],
      ['fake-2', 'failed', 1],
    ]);
    expect(result.cases[0]!.message).toBe('cleanup failed: could not put the difficulty back');
  });

  it('ties the board to its session by worker name and reports the binding once', async () => {
    const session: StratumSessionView = {
      worker: 'bc1q.board',
      remote: '10.1.1.7:51234',
      connected: true,
      connectedAt: clock.now(),
      userAgent: null,
      extranonce1: null,
      difficulty: null,
      accepted: 3,
      rejected: 0,
      poolAccepted: 3,
      poolRejected: 0,
      hashrate: null,
    };
    const events: ProgressEvent[] = [];
    const board = fakeBoard('fake-1');
    const result = await run({
      boards: [suiteBoard(board)],
      bench: fakeBench([session]),
      timing,
      onProgress: (e) => events.push(e),
      scenarios: [
        scenario('one', async (ctx) => {
          board.console.feedLine(
            '  Sending  : {"params": ["bc1q.board", "x"], "id": 2, "method": "mining.authorize"}',
          );
          expect(ctx.worker()).toBe('bc1q.board');
          const bound = await ctx.session({ until: (s) => s.poolAccepted >= 3 });
          expect(bound.by).toBe('worker');
        }),
        scenario('two', async (ctx) => {
          await ctx.session();
        }),
      ],
    });
    expect(result.totals.passed).toBe(2);
    expect(result.cases[0]!.binding).toEqual({
      by: 'worker',
      worker: 'bc1q.board',
      remote: '10.1.1.7:51234',
    });
    expect(events.filter((e) => e.type === 'bound')).toEqual([
      { type: 'bound', board: 'fake-1', by: 'worker', worker: 'bc1q.board', remote: '10.1.1.7:51234' },
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'suite-start',
      'case-start',
      'bound',
      'case-end',
      'case-start',
      'case-end',
      'suite-end',
    ]);
    expect(result.boards[0]).toMatchObject({ name: 'fake-1', worker: 'bc1q.board' });
  });

  it('fails with SESSION_NOT_BOUND when no session can be tied to the board', async () => {
    const result = await run({
      boards: [suiteBoard(fakeBoard('fake-1'))],
      bench: fakeBench(),
      timing,
      scenarios: [scenario('bind', async (ctx) => void (await ctx.session()))],
    });
    expect(result.cases[0]).toMatchObject({ status: 'failed', errorCode: 'SESSION_NOT_BOUND' });
    expect(result.cases[0]!.message).toContain('worker unknown, IP unknown');
  });

  it('on abort ends the running case and skips the rest as interrupted', async () => {
    const controller = new AbortController();
    const board = fakeBoard('fake-1');
    const result = await run({
      boards: [suiteBoard(board)],
      bench: fakeBench(),
      timing,
      signal: controller.signal,
      scenarios: [
        scenario('waits', async (ctx) => {
          ctx.clock.setTimeout(() => controller.abort(), 20);
          await ctx.board.console.waitFor((s) => s.subscribed, { timeoutMs: 1000 }).catch(() => undefined);
        }),
        scenario('after', async () => undefined),
      ],
    });
    expect(result.cases.map((c) => [c.status, c.message])).toEqual([
      ['skipped', 'interrupted'],
      ['skipped', 'interrupted'],
    ]);
  });
});
