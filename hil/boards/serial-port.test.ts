import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/temp-dir.js';
import { BenchError } from '../errors.js';
import { filterBoards } from './discovery.js';
import { listPorts, listPortsFromSysfs } from './serial-port.js';

/** A sysfs tree as Linux lays it out for an ESP32-S3 (USB-Serial/JTAG), a CP210x board and a 16550 UART. */
function fakeSysfs(): string {
  const root = tempDir('sysfs');
  const usbDevice = (dir: string, attrs: Record<string, string>): void => {
    mkdirSync(join(root, dir), { recursive: true });
    for (const [k, v] of Object.entries(attrs)) writeFileSync(join(root, dir, k), `${v}\n`);
  };
  const tty = (name: string, deviceDir: string | undefined): void => {
    mkdirSync(join(root, 'class/tty', name), { recursive: true });
    if (deviceDir === undefined) return;
    mkdirSync(join(root, deviceDir), { recursive: true });
    symlinkSync(join('../../..', deviceDir), join(root, 'class/tty', name, 'device'));
  };
  usbDevice('devices/pci0000:00/usb1/1-1', {
    idVendor: '303a',
    idProduct: '1001',
    serial: 'F4:12:FA:00:11:22',
    manufacturer: 'Espressif',
  });
  tty('ttyACM0', 'devices/pci0000:00/usb1/1-1/1-1:1.0');
  usbDevice('devices/pci0000:00/usb1/1-2', {
    idVendor: '10c4',
    idProduct: 'ea60',
    manufacturer: 'Silicon Labs',
  });
  tty('ttyUSB0', 'devices/pci0000:00/usb1/1-2/1-2:1.0/ttyUSB0');
  tty('ttyS0', 'devices/pnp0/00:00/00:00:0/00:00:0.0');
  tty('ttyS1', undefined);
  tty('tty1', 'devices/virtual/tty/tty1');
  return root;
}

const ENOENT_UDEVADM = Object.assign(new Error('spawn udevadm ENOENT'), {
  code: 'ENOENT',
  syscall: 'spawn udevadm',
  path: 'udevadm',
});

describe('listPortsFromSysfs', () => {
  it('reads each serial device and its USB parent as udevadm would report them', async () => {
    const ports = await listPortsFromSysfs(fakeSysfs());
    expect(ports).toEqual([
      {
        path: '/dev/ttyACM0',
        manufacturer: 'Espressif',
        serialNumber: 'F4:12:FA:00:11:22',
        pnpId: undefined,
        locationId: undefined,
        vendorId: '303a',
        productId: '1001',
      },
      expect.objectContaining({ path: '/dev/ttyS0', vendorId: undefined, productId: undefined }),
      expect.objectContaining({
        path: '/dev/ttyUSB0',
        manufacturer: 'Silicon Labs',
        serialNumber: undefined,
        vendorId: '10c4',
        productId: 'ea60',
      }),
    ]);
    expect(filterBoards(ports).map((b) => [b.path, b.chip?.chip])).toEqual([
      ['/dev/ttyACM0', 'Espressif USB-Serial/JTAG'],
      ['/dev/ttyUSB0', 'Silicon Labs CP210x'],
    ]);
  });
});

describe('listPorts', () => {
  it('uses serialport while udevadm is there', async () => {
    expect(await listPorts(async () => [{ path: '/dev/ttyACM7' }], '/nonexistent')).toEqual([
      { path: '/dev/ttyACM7' },
    ]);
  });

  it('falls back to sysfs when udevadm is missing', async () => {
    const ports = await listPorts(() => Promise.reject(ENOENT_UDEVADM), fakeSysfs());
    expect(ports.map((p) => p.path)).toEqual(['/dev/ttyACM0', '/dev/ttyS0', '/dev/ttyUSB0']);
  });

  it('says what to install when neither udevadm nor sysfs can list the ports', async () => {
    const err = await listPorts(() => Promise.reject(ENOENT_UDEVADM), '/nonexistent-sysfs').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BenchError);
    expect((err as Error).message).toMatch(
      /^cannot list serial ports: udevadm is not installed \(apt-get install udev\) and \/nonexistent-sysfs\/class\/tty cannot be read \(.*ENOENT.*\); name the board with --port$/,
    );
    expect((err as Error).cause).toBe(ENOENT_UDEVADM);
  });

  it('passes on any other failure', async () => {
    const other = new Error('udevadm exited with error code: 1');
    await expect(listPorts(() => Promise.reject(other), fakeSysfs())).rejects.toBe(other);
  });
});
