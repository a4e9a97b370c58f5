import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../runtime/test-support/manual-clock.js';
import { BoardGoneError, ConsoleWaitTimeoutError } from '../errors.js';
import { BoardConsole } from './board-console.js';

const feed = (board: BoardConsole, text: string): void => {
  for (const line of text.split('\n')) if (line !== '') board.feedLine(line);
};

describe('waiting on the console', () => {
  it('resolves when the condition becomes true and not before', async () => {
    const board = new BoardConsole({ name: 'nm-1' });
    let resolved = false;
    const waiting = board
      .waitFor((s) => s.subscribed, { timeoutMs: 30_000, description: 'subscription' })
      .then((s) => {
        resolved = true;
        return s;
      });
    board.feedLine('[WORKER] ==> Mining subscribe');
    await Promise.resolve();
    expect(resolved).toBe(false);
    board.feedLine('    extranonce1: e8a5b1c3');
    const state = await waiting;
    expect(state).toMatchObject({ subscribed: true, extranonce1: 'e8a5b1c3' });
  });

  it('resolves at once when the condition already holds', async () => {
    const board = new BoardConsole();
    board.feedLine('WiFi connected');
    await expect(board.waitFor((s) => s.wifiConnected, { timeoutMs: 1 })).resolves.toMatchObject({
      wifiConnected: true,
    });
  });

  it('waits for the next event of a kind, with a filter', async () => {
    const board = new BoardConsole();
    const next = board.waitForEvent('stratum-tx', {
      timeoutMs: 30_000,
      where: (e) => e.payload.method === 'mining.submit',
    });
    board.feedLine('  Sending  : {"id": 3, "method": "mining.suggest_difficulty", "params": [0.00015]}');
    board.feedLine(
      '  Sending  : {"id": 4, "method": "mining.submit", "params": ["w","j","00000001","t","n"]}',
    );
    await expect(next).resolves.toMatchObject({ kind: 'stratum-tx', payload: { id: 4 } });
  });

  it('times out on the injected clock with a named error', async () => {
    const clock = new ManualClock();
    const board = new BoardConsole({ name: 'F4:12:FA:4C:D1:20', clock });
    const waiting = board.waitForEvent('boot', { timeoutMs: 30_000 });
    const outcome = waiting.then(
      () => 'resolved',
      (err: unknown) => err,
    );
    await clock.tick(29_999);
    board.feedLine('WiFi connected');
    expect(await Promise.race([outcome, 'pending'])).toBe('pending');
    await clock.tick(1);
    const err = await outcome;
    expect(err).toBeInstanceOf(ConsoleWaitTimeoutError);
    expect(err).toMatchObject({
      code: 'CONSOLE_WAIT_TIMEOUT',
      timeoutMs: 30_000,
      message: 'timed out after 30000 ms waiting for a boot event on F4:12:FA:4C:D1:20',
    });
    expect(board.listenerCount('event')).toBe(0);
  });

  it('a wait nobody awaits any more times out without an unhandled rejection', async () => {
    const clock = new ManualClock();
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown): void => void unhandled.push(err);
    process.on('unhandledRejection', onUnhandled);
    try {
      const board = new BoardConsole({ name: 'nm-1', clock });
      // boots-and-connects starts this wait before a reset that then fails: nobody awaits it.
      void board.waitForEvent('boot', { timeoutMs: 90_000 });
      await clock.tick(90_000);
      // An unhandled rejection is reported after the microtasks of the turn it happened in.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      expect(board.listenerCount('event')).toBe(0);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('cancelWaits ends every wait in progress with the given error', async () => {
    const board = new BoardConsole();
    const a = board.waitForEvent('boot', { timeoutMs: 30_000 });
    const b = board.waitFor((s) => s.subscribed, { timeoutMs: 30_000 });
    board.cancelWaits(new Error('the case ended'));
    await expect(a).rejects.toThrow('the case ended');
    await expect(b).rejects.toThrow('the case ended');
    expect(board.listenerCount('event')).toBe(0);
    board.feedLine('NerdMiner v2 starting......');
    await expect(board.waitForEvent('boot', { timeoutMs: 1 })).rejects.toThrow(ConsoleWaitTimeoutError);
  });

  it('a board marked gone fails its waits with BOARD_GONE, now and later, and says so once', async () => {
    const board = new BoardConsole({ name: 'nm-1' });
    const gone: BoardGoneError[] = [];
    board.on('gone', (e) => gone.push(e));
    const waiting = board.waitForEvent('boot', { timeoutMs: 30_000 });
    board.markGone('serial port /dev/ttyACM0 closed');
    await expect(waiting).rejects.toMatchObject({
      code: 'BOARD_GONE',
      message: 'board nm-1 is gone: serial port /dev/ttyACM0 closed',
    });
    await expect(board.waitFor((s) => s.subscribed, { timeoutMs: 30_000 })).rejects.toBeInstanceOf(
      BoardGoneError,
    );
    board.markGone('again');
    expect(gone.map((e) => e.reason)).toEqual(['serial port /dev/ttyACM0 closed']);
    expect(board.gone?.reason).toBe('serial port /dev/ttyACM0 closed');
  });

  it('stops listening once resolved', async () => {
    const board = new BoardConsole();
    const waiting = board.waitForEvent('boot', { timeoutMs: 30_000 });
    board.feedLine('NerdMiner v2 starting......');
    await waiting;
    expect(board.listenerCount('event')).toBe(0);
  });
});

describe('state rules', () => {
  it('a reboot clears the session but keeps the counters', () => {
    const board = new BoardConsole();
    feed(
      board,
      [
        'WiFi connected',
        '  Sending  : {"id": 1, "method": "mining.subscribe", "params": ["NerdMinerV2/V1.8.3"]}',
        '  Receiving: {"id":1,"result":[[],"e8a5b1c3",4],"error":null}',
        '  Sending  : {"id": 4, "method": "mining.submit", "params": ["w","j","00000001","t","n"]}',
        '  Receiving: {"id":4,"result":true,"error":null}',
        'rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)',
        'NerdMiner v2 starting......',
      ].join('\n'),
    );
    expect(board.state).toMatchObject({
      boots: 1,
      resetReason: 'SW_CPU_RESET',
      wifiConnected: false,
      poolConnected: false,
      subscribed: false,
      sharesSent: 1,
      sharesAccepted: 1,
    });
    expect(board.state.extranonce1).toBeUndefined();
  });

  it('counts a refused share from "Refuse submition" when its answer was not readable', () => {
    const board = new BoardConsole();
    feed(
      board,
      [
        '  Sending  : {"id": 9, "method": "mining.submit", "params": ["w","j","00000001","t","n"]}',
        '  Receiving: {"id":9,"res',
        'ERROR: 22 | reason: Duplicate share ',
        'Refuse submition 9',
        'Refuse submition 9',
        'Refuse submition 10',
      ].join('\n'),
    );
    expect(board.state).toMatchObject({
      sharesSent: 1,
      sharesRejected: 1,
      lastReject: { id: 9, code: 22, reason: 'Duplicate share' },
    });
  });

  it("counts Bitaxe's result line only when no rx line resolved the share", () => {
    const board = new BoardConsole();
    feed(
      board,
      [
        'I (1) stratum_api: tx: {"id": 5, "method": "mining.submit", "params": []}',
        'I (2) stratum_api: rx: {"id":5,"result":true,"error":null}',
        'I (3) stratum_v1_task: message result accepted',
        'I (4) stratum_api: tx: {"id": 6, "method": "mining.submit", "params": []}',
        'I (5) stratum_api: rx: {"id":6,"result":nu',
        'W (6) stratum_v1_task: message result rejected: Stale',
      ].join('\n'),
    );
    expect(board.state).toMatchObject({
      firmware: 'bitaxe',
      sharesSent: 2,
      sharesAccepted: 1,
      sharesRejected: 1,
      lastReject: { reason: 'Stale' },
    });
  });

  it('counts a job from NerdMiner\'s "Parsing Method" line when the notify line was cut', () => {
    const board = new BoardConsole();
    feed(
      board,
      [
        '  Receiving: {"id":null,"method":"mining.notify","params":["1f3a","e55e85d8","01',
        '    Parsing Method [MINING NOTIFY]',
        '  Receiving: {"notify": "lost" ',
        '    Parsing Method [MINING NOTIFY]',
      ].join('\n'),
    );
    expect(board.state.jobsReceived).toBe(2);
    expect(board.state.lastJob).toBeDefined();
    expect(board.state.lastJob?.jobId).toBeUndefined();
  });

  it('rejects an authorize that the pool refused', () => {
    const board = new BoardConsole();
    feed(
      board,
      [
        '  Sending  : {"params": ["w", "x"], "id": 2, "method": "mining.authorize"}',
        '  Receiving: {"id":2,"result":null,"error":[24,"Unauthorized worker",null]}',
      ].join('\n'),
    );
    expect(board.state.authorized).toBe(false);
    expect(board.state.times.authorized).toBeUndefined();
  });

  it('keeps a bounded history', () => {
    const board = new BoardConsole({ historySize: 3 });
    for (let i = 0; i < 10; i++) board.feedLine(`line ${i}`);
    expect(board.history().map((h) => h.event.line)).toEqual(['line 7', 'line 8', 'line 9']);
    expect(board.state.lines).toBe(10);
    expect(board.state.unknownLines).toBe(10);
  });
});

describe('attach', () => {
  it('reads a byte stream until it ends, then reports closed', async () => {
    const board = new BoardConsole();
    const source = new PassThrough();
    const closed = new Promise<Error | undefined>((resolve) => board.once('closed', resolve));
    board.attach(source);
    source.write('NerdMiner v2 star');
    source.write('ting......\r\nWiFi conn');
    source.end('ected\r\n');
    await expect(closed).resolves.toBeUndefined();
    expect(board.history().map((h) => h.event.kind)).toEqual(['boot', 'wifi-connected']);
  });

  it('reports closed when the source closes without ending (serialport after the device vanished)', async () => {
    const board = new BoardConsole();
    const source = new PassThrough();
    const closed = new Promise<Error | undefined>((resolve) => board.once('closed', resolve));
    board.attach(source);
    source.emit('close', new Error('bad file descriptor'));
    await expect(closed).resolves.toMatchObject({ message: 'bad file descriptor' });
  });

  it('stops reading when detached', async () => {
    const board = new BoardConsole();
    const source = new PassThrough();
    const detach = board.attach(source);
    source.write('WiFi connected\r\n');
    await board.waitFor((s) => s.wifiConnected, { timeoutMs: 5000 });
    detach();
    await new Promise((resolve) => setImmediate(resolve));
    source.write('NerdMiner v2 starting......\r\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(board.state.boots).toBe(0);
  });
});
