import { SerialPortMock } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../runtime/test-support/manual-clock.js';
import { onManualClock } from '../test-support/run-scripted.js';
import { filterBoards } from './discovery.js';
import type { SerialPortInfo } from './discovery.js';
import { openSerialBoard } from './serial-board.js';
import type { BoardHandle } from './serial-board.js';

const MockBinding = SerialPortMock.binding;
const JTAG = { vendorId: '303a', productId: '1001', serialNumber: 'F4:12:FA:4C:D1:20' };

function openMock(path: string): Promise<SerialPortMock> {
  return new Promise((resolve, reject) => {
    const port = new SerialPortMock({ path, baudRate: 115200, autoOpen: false });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}

// The reset's esptool pulse and the re-enumeration polling run on a manual clock.
let clock: ManualClock;
beforeEach(() => {
  clock = new ManualClock();
});

const handles: BoardHandle[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.close()));
  MockBinding.reset();
});

describe('openSerialBoard', () => {
  it('reads the console, resets, and follows a re-enumerated board to its new port', async () => {
    MockBinding.createPort('/dev/ttyACM0', { echo: false, record: true, ...JTAG });
    MockBinding.createPort('/dev/ttyACM1', { echo: false, record: true, ...JTAG });
    const ports: SerialPortMock[] = [];
    let listing: SerialPortInfo[] = [{ path: '/dev/ttyACM0', ...JTAG }];
    const handle = await openSerialBoard(filterBoards(listing)[0]!, {
      open: async (path) => {
        const port = await openMock(path);
        ports.push(port);
        return port;
      },
      list: async () => listing,
      clock,
    });
    handles.push(handle);
    expect(handle.name).toBe(JTAG.serialNumber);

    ports[0]!.port!.emitData('WiFi connected\r\n');
    await handle.console.waitFor((s) => s.wifiConnected, { timeoutMs: 5000 });

    listing = [{ path: '/dev/ttyACM1', ...JTAG }];
    const booted = handle.console.waitForEvent('boot', { timeoutMs: 5000 });
    await onManualClock(clock, handle.reset());
    expect(handle.info.path).toBe('/dev/ttyACM1');
    expect(ports[0]!.isOpen).toBe(false);
    ports[1]!.port!.emitData('NerdMiner v2 starting......\r\n');
    await expect(booted).resolves.toMatchObject({ kind: 'boot', stage: 'app', firmware: 'nerdminer' });
    expect(handle.console.state).toMatchObject({ boots: 1, wifiConnected: false });
    // The old port closed during the reset: that is the board re-enumerating, not leaving.
    expect(handle.console.gone).toBeUndefined();
  });

  it('a port that closes outside a reset is the board gone: waits and resets fail with BOARD_GONE', async () => {
    MockBinding.createPort('/dev/ttyACM0', { echo: false, record: true, ...JTAG });
    let port: SerialPortMock | undefined;
    const handle = await openSerialBoard(filterBoards([{ path: '/dev/ttyACM0', ...JTAG }])[0]!, {
      open: async (path) => (port = await openMock(path)),
      list: async () => [],
      clock,
    });
    handles.push(handle);
    const waiting = handle.console.waitFor((s) => s.subscribed, { timeoutMs: 60_000 });
    await new Promise((resolve) => port!.close(resolve));
    await expect(waiting).rejects.toMatchObject({
      code: 'BOARD_GONE',
      message: `board ${JTAG.serialNumber} is gone: serial port /dev/ttyACM0 closed`,
    });
    await expect(handle.reset()).rejects.toMatchObject({ code: 'BOARD_GONE' });
  });

  it('keeps a UART-bridge board on the same port across a reset', async () => {
    MockBinding.createPort('/dev/ttyUSB0', {
      echo: false,
      record: true,
      vendorId: '10c4',
      productId: 'ea60',
    });
    const handle = await openSerialBoard(
      filterBoards([{ path: '/dev/ttyUSB0', vendorId: '10c4', productId: 'ea60' }])[0]!,
      { open: openMock, list: async () => [], clock },
    );
    handles.push(handle);
    await onManualClock(clock, handle.reset());
    expect(handle.info.path).toBe('/dev/ttyUSB0');
    expect(handle.name).toBe('/dev/ttyUSB0');
  });
});
