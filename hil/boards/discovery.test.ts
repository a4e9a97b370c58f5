import { describe, expect, it } from 'vitest';
import { BoardNotFoundError, InvalidPortPathError } from '../errors.js';
import { boardKey, discoverBoards, filterBoards, findBoardBySerial, locateBoard } from './discovery.js';
import type { SerialPortInfo } from './discovery.js';
import { KNOWN_USB_SERIAL_CHIPS, identifyUsbChip, normaliseUsbId } from './usb-ids.js';

const port = (path: string, extra: Partial<SerialPortInfo> = {}): SerialPortInfo => ({ path, ...extra });

const LISTED: SerialPortInfo[] = [
  port('/dev/ttyS0'),
  port('/dev/ttyACM0', { vendorId: '303a', productId: '1001', serialNumber: 'F4:12:FA:4C:D1:20' }),
  port('/dev/ttyACM1', { vendorId: '2341', productId: '0043', serialNumber: 'arduino-uno' }),
  port('/dev/ttyUSB0', {
    vendorId: '10C4',
    productId: 'EA60',
    serialNumber: '0001',
    manufacturer: 'Silicon Labs',
  }),
  port('/dev/ttyUSB1', { vendorId: '1a86', productId: '7523' }),
];

describe('USB ids', () => {
  it.each([
    ['303a', '1001', 'Espressif USB-Serial/JTAG', 'usb-jtag'],
    ['10c4', 'ea60', 'Silicon Labs CP210x', 'uart-bridge'],
    ['1a86', '7523', 'WCH CH340', 'uart-bridge'],
    ['1a86', '55d4', 'WCH CH9102', 'uart-bridge'],
    ['1a86', '55d3', 'WCH CH343', 'uart-bridge'],
    ['0403', '6001', 'FTDI FT232R', 'uart-bridge'],
  ])('recognises %s:%s as %s', (vid, pid, chip, reset) => {
    expect(identifyUsbChip(vid, pid)).toEqual({ vendorId: vid, productId: pid, chip, reset });
    expect(identifyUsbChip(vid.toUpperCase(), pid.toUpperCase())?.chip).toBe(chip);
    expect(identifyUsbChip(`0x${vid}`, pid)?.chip).toBe(chip);
  });

  it('has exactly the six documented interfaces', () => {
    expect(KNOWN_USB_SERIAL_CHIPS.map((c) => `${c.vendorId}:${c.productId}`)).toEqual([
      '303a:1001',
      '10c4:ea60',
      '1a86:7523',
      '1a86:55d4',
      '1a86:55d3',
      '0403:6001',
    ]);
  });

  it('rejects unknown or malformed ids', () => {
    expect(identifyUsbChip('2341', '0043')).toBeUndefined();
    expect(identifyUsbChip(undefined, '1001')).toBeUndefined();
    expect(identifyUsbChip('303a', 'zzzz')).toBeUndefined();
    expect(normaliseUsbId('4b4')).toBe('04b4');
    expect(normaliseUsbId('12345')).toBeUndefined();
  });
});

describe('filterBoards', () => {
  it('keeps only known VID:PIDs, in list order, case-insensitively', () => {
    const boards = filterBoards(LISTED);
    expect(boards.map((b) => [b.path, b.chip?.chip, b.chip?.reset, b.source])).toEqual([
      ['/dev/ttyACM0', 'Espressif USB-Serial/JTAG', 'usb-jtag', 'usb'],
      ['/dev/ttyUSB0', 'Silicon Labs CP210x', 'uart-bridge', 'usb'],
      ['/dev/ttyUSB1', 'WCH CH340', 'uart-bridge', 'usb'],
    ]);
    expect(boards[1]).toMatchObject({ serialNumber: '0001', manufacturer: 'Silicon Labs' });
    expect(boards[2]?.serialNumber).toBeUndefined();
  });

  it('finds nothing in an empty list', () => {
    expect(filterBoards([])).toEqual([]);
  });
});

describe('discoverBoards', () => {
  const list = async () => LISTED;

  it('uses VID:PID filtering when no port is named', async () => {
    expect((await discoverBoards({ list })).map((b) => b.path)).toEqual([
      '/dev/ttyACM0',
      '/dev/ttyUSB0',
      '/dev/ttyUSB1',
    ]);
  });

  it('uses exactly the named ports, in order, enriched from the list through symlinks', async () => {
    const links: Record<string, string> = { '/dev/serial/by-id/usb-Espressif-if00': '/dev/ttyACM0' };
    const boards = await discoverBoards({
      list,
      ports: ['/tmp/karoo-ttyB-x', '/dev/serial/by-id/usb-Espressif-if00', '/dev/ttyACM0', '/dev/ttyACM1'],
      resolvePath: async (p) => links[p] ?? p,
    });
    expect(boards.map((b) => [b.path, b.source, b.serialNumber, b.chip?.reset])).toEqual([
      ['/tmp/karoo-ttyB-x', 'explicit', undefined, undefined],
      ['/dev/serial/by-id/usb-Espressif-if00', 'explicit', 'F4:12:FA:4C:D1:20', 'usb-jtag'],
      ['/dev/ttyACM1', 'explicit', 'arduino-uno', undefined],
    ]);
  });

  it('rejects an empty --port value', async () => {
    await expect(discoverBoards({ list, ports: [' '] })).rejects.toBeInstanceOf(InvalidPortPathError);
    await expect(discoverBoards({ list, ports: [''] })).rejects.toMatchObject({ code: 'INVALID_PORT_PATH' });
  });
});

describe('identity across re-enumeration', () => {
  const before = LISTED;
  const after: SerialPortInfo[] = [
    port('/dev/ttyS0'),
    port('/dev/ttyACM2', { vendorId: '303a', productId: '1001', serialNumber: 'F4:12:FA:4C:D1:20' }),
  ];

  it('finds the board under its new path by serial number', () => {
    expect(findBoardBySerial(before, 'F4:12:FA:4C:D1:20')?.path).toBe('/dev/ttyACM0');
    expect(findBoardBySerial(after, 'F4:12:FA:4C:D1:20')).toMatchObject({
      path: '/dev/ttyACM2',
      chip: { reset: 'usb-jtag' },
    });
    expect(findBoardBySerial(after, 'nope')).toBeUndefined();
  });

  it('locates a board by serial, by path without one, and fails when it is gone', async () => {
    const [jtag, , ch340] = filterBoards(before);
    expect((await locateBoard(async () => after, jtag!)).path).toBe('/dev/ttyACM2');
    expect((await locateBoard(async () => before, ch340!)).path).toBe('/dev/ttyUSB1');
    await expect(locateBoard(async () => [port('/dev/ttyS0')], jtag!)).rejects.toBeInstanceOf(
      BoardNotFoundError,
    );
    await expect(locateBoard(async () => [], ch340!)).rejects.toMatchObject({ code: 'BOARD_NOT_FOUND' });
  });

  it('keys a board by serial number, else by path', () => {
    expect(boardKey({ path: '/dev/ttyACM0', serialNumber: 'abc' })).toBe('abc');
    expect(boardKey({ path: '/dev/ttyUSB1' })).toBe('/dev/ttyUSB1');
  });
});
