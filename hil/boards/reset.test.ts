import { SerialPortMock } from 'serialport';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../runtime/clock.js';
import { BoardReenumerationTimeoutError, SerialControlError } from '../errors.js';
import type { BoardInfo, SerialPortInfo } from './discovery.js';
import { filterBoards } from './discovery.js';
import { ASSERT_EN, hardReset, resetBoard } from './reset.js';
import type { ControlLines } from './reset.js';
import { clockSleep } from './sleep.js';

const MockBinding = SerialPortMock.binding;
const JTAG = { vendorId: '303a', productId: '1001', serialNumber: 'F4:12:FA:4C:D1:20' };

interface SetCall {
  at: number;
  flags: Record<string, boolean | undefined>;
}

/** A virtual clock: sleep() advances it instantly, so timing is exact and the test is instant. */
function virtualTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

function openMock(path: string): Promise<SerialPortMock> {
  return new Promise((resolve, reject) => {
    const port = new SerialPortMock({ path, baudRate: 115200, autoOpen: false });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}

/** Records every set() that reaches the binding (after serialport merged its defaults in). */
function recordSets(port: SerialPortMock, now: () => number): SetCall[] {
  const calls: SetCall[] = [];
  const binding = port.port!;
  const original = binding.set.bind(binding);
  vi.spyOn(binding, 'set').mockImplementation(async (flags) => {
    calls.push({ at: now(), flags: { ...flags } });
    return original(flags);
  });
  return calls;
}

const opened: SerialPortMock[] = [];
async function track(p: Promise<SerialPortMock>): Promise<SerialPortMock> {
  const port = await p;
  opened.push(port);
  return port;
}

beforeEach(() => {
  MockBinding.createPort('/dev/ttyACM0', { echo: false, record: true, ...JTAG });
  MockBinding.createPort('/dev/ttyACM3', { echo: false, record: true, ...JTAG });
  MockBinding.createPort('/dev/ttyUSB0', { echo: false, record: true, vendorId: '10c4', productId: 'ea60' });
});

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await Promise.all(
    opened
      .splice(0)
      .map((p) => new Promise<void>((resolve) => (p.isOpen ? p.close(() => resolve()) : resolve()))),
  );
  MockBinding.reset();
});

// What the binding sees: serialport fills brk/cts with false; dtr and rts are exactly ours.
const ASSERT_FLAGS = { brk: false, cts: false, dtr: false, rts: true };
const RELEASE_FLAGS = { brk: false, cts: false, dtr: false, rts: false };

describe('hardReset against the mock binding', () => {
  it('UART bridge: EN low, 100 ms, EN high, with both flags on every call', async () => {
    const time = virtualTime();
    const port = await track(openMock('/dev/ttyUSB0'));
    const calls = recordSets(port, time.now);
    await hardReset(port, { style: 'uart-bridge', sleep: time.sleep });
    expect(calls).toEqual([
      { at: 0, flags: ASSERT_FLAGS },
      { at: 100, flags: RELEASE_FLAGS },
    ]);
    expect(time.now()).toBe(100);
  });

  it('USB-Serial/JTAG: 200 ms hold and 200 ms settle', async () => {
    const time = virtualTime();
    const port = await track(openMock('/dev/ttyACM0'));
    const calls = recordSets(port, time.now);
    await hardReset(port, { style: 'usb-jtag', sleep: time.sleep });
    expect(calls).toEqual([
      { at: 0, flags: ASSERT_FLAGS },
      { at: 200, flags: RELEASE_FLAGS },
    ]);
    expect(time.sleeps).toEqual([200, 200]);
  });

  it('keeps the same timing on the system clock under vitest fake timers', async () => {
    const port = await track(openMock('/dev/ttyACM0'));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const t0 = Date.now();
    const calls = recordSets(port, () => Date.now() - t0);
    let finishedAt: number | undefined;
    const done = hardReset(port, { style: 'usb-jtag', sleep: clockSleep(systemClock) }).then(() => {
      finishedAt = Date.now() - t0;
    });
    while (finishedAt === undefined) await vi.advanceTimersToNextTimerAsync();
    await done;
    expect(calls).toEqual([
      { at: 0, flags: ASSERT_FLAGS },
      { at: 200, flags: RELEASE_FLAGS },
    ]);
    expect(finishedAt).toBe(400);
  });

  it('passes both lines even to a port that would default the missing one', async () => {
    const seen: ControlLines[] = [];
    const fake = {
      set(options: ControlLines, cb?: (err: Error | null) => void) {
        seen.push(options);
        cb?.(null);
      },
    };
    await hardReset(fake, { style: 'uart-bridge', sleep: async () => {} });
    expect(seen).toEqual([
      { dtr: false, rts: true },
      { dtr: false, rts: false },
    ]);
    expect(seen.every((o) => Object.keys(o).sort().join() === 'dtr,rts')).toBe(true);
  });

  it('reports a failed set() as SerialControlError', async () => {
    const port = await track(openMock('/dev/ttyUSB0'));
    await new Promise<void>((resolve) => port.close(() => resolve()));
    const err = await hardReset(port, { style: 'uart-bridge', sleep: async () => {} }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SerialControlError);
    expect(err).toMatchObject({ code: 'SERIAL_CONTROL_FAILED', operation: ASSERT_EN });
  });
});

describe('resetBoard', () => {
  function board(path: string, info: Omit<SerialPortInfo, 'path'>): BoardInfo {
    return filterBoards([{ path, ...info }])[0]!;
  }

  it('follows a USB-Serial/JTAG board to its new path by serial number and reopens it', async () => {
    const time = virtualTime();
    const port = await track(openMock('/dev/ttyACM0'));
    const calls = recordSets(port, time.now);
    // The old path lingers for one poll, then nothing, then the board is back elsewhere.
    const lists: SerialPortInfo[][] = [
      [{ path: '/dev/ttyACM0', ...JTAG }],
      [],
      [{ path: '/dev/ttyS0' }, { path: '/dev/ttyACM3', ...JTAG }],
    ];
    const listedAt: number[] = [];
    const openedPaths: string[] = [];
    const result = await resetBoard({
      board: board('/dev/ttyACM0', JTAG),
      port,
      list: async () => {
        listedAt.push(time.now());
        return lists.shift() ?? [];
      },
      open: async (path) => {
        openedPaths.push(path);
        if (path === '/dev/ttyACM0') throw new Error('ENOENT: device gone');
        return track(openMock(path));
      },
      sleep: time.sleep,
      pollIntervalMs: 50,
    });
    expect(calls.map((c) => [c.at, c.flags.rts])).toEqual([
      [0, true],
      [200, false],
    ]);
    expect(port.isOpen).toBe(false);
    expect(result.reopened).toBe(true);
    expect(result.board).toMatchObject({ path: '/dev/ttyACM3', serialNumber: JTAG.serialNumber });
    expect(result.port.isOpen).toBe(true);
    expect(result.port.path).toBe('/dev/ttyACM3');
    expect(openedPaths).toEqual(['/dev/ttyACM0', '/dev/ttyACM3']);
    expect(listedAt).toEqual([400, 450, 500]);
  });

  it('reopens a USB-Serial/JTAG board that vanished before EN was released', async () => {
    const time = virtualTime();
    const port = await track(openMock('/dev/ttyACM0'));
    const binding = port.port!;
    const original = binding.set.bind(binding);
    let sets = 0;
    vi.spyOn(binding, 'set').mockImplementation(async (flags) => {
      if (++sets === 2) throw new Error('EIO: device gone');
      return original(flags);
    });
    const result = await resetBoard({
      board: board('/dev/ttyACM0', JTAG),
      port,
      list: async () => [{ path: '/dev/ttyACM3', ...JTAG }],
      open: (path) => track(openMock(path)),
      sleep: time.sleep,
    });
    expect(sets).toBe(2);
    expect(result).toMatchObject({ reopened: true, board: { path: '/dev/ttyACM3' } });
    expect(time.sleeps).toEqual([200, 200]);
  });

  it('does not pretend to have reset when EN could not even be asserted', async () => {
    const port = await track(openMock('/dev/ttyACM0'));
    await new Promise<void>((resolve) => port.close(() => resolve()));
    const err = await resetBoard({
      board: board('/dev/ttyACM0', JTAG),
      port,
      list: async () => [{ path: '/dev/ttyACM0', ...JTAG }],
      open: (path) => track(openMock(path)),
      sleep: async () => {},
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SERIAL_CONTROL_FAILED', operation: ASSERT_EN });
  });

  it('gives up after a bounded wait with the last failure as cause', async () => {
    const time = virtualTime();
    const port = await track(openMock('/dev/ttyACM0'));
    let lists = 0;
    const err = await resetBoard({
      board: board('/dev/ttyACM0', JTAG),
      port,
      list: async () => {
        lists++;
        return [];
      },
      open: openMock,
      sleep: time.sleep,
      reenumerationTimeoutMs: 1000,
      pollIntervalMs: 250,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BoardReenumerationTimeoutError);
    expect(err).toMatchObject({
      code: 'BOARD_REENUMERATION_TIMEOUT',
      key: JTAG.serialNumber,
      timeoutMs: 1000,
    });
    expect((err as Error).cause).toMatchObject({ code: 'BOARD_NOT_FOUND' });
    expect(lists).toBe(5);
    expect(time.now()).toBe(400 + 1000);
  });

  it('leaves a UART-bridge board open on the same port', async () => {
    const time = virtualTime();
    const port = await track(openMock('/dev/ttyUSB0'));
    const calls = recordSets(port, time.now);
    const result = await resetBoard({
      board: board('/dev/ttyUSB0', { vendorId: '10c4', productId: 'ea60' }),
      port,
      list: () => Promise.reject(new Error('list must not be called')),
      open: () => Promise.reject(new Error('open must not be called')),
      sleep: time.sleep,
    });
    expect(result).toMatchObject({ reopened: false, board: { path: '/dev/ttyUSB0' } });
    expect(result.port).toBe(port);
    expect(port.isOpen).toBe(true);
    expect(calls.map((c) => c.at)).toEqual([0, 100]);
  });
});
