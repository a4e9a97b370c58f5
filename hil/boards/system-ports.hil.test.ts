import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDir } from '../../test-support/temp-dir.js';
import { filterBoards } from './discovery.js';
import type { SerialPortInfo } from './discovery.js';
import { listSystemPorts } from './serial-port.js';

const usbPorts = (ports: readonly SerialPortInfo[]) =>
  ports
    .filter((p) => p.vendorId !== undefined)
    .map((p) => ({
      path: p.path,
      vendorId: p.vendorId,
      productId: p.productId,
      serialNumber: p.serialNumber,
    }))
    .sort((a, b) => a.path.localeCompare(b.path));

// The machine's own port list: serialport runs udevadm on Linux, so this is not a unit test.
describe('listSystemPorts', () => {
  it('calls the real SerialPort.list() and gets an array', async () => {
    const ports = await listSystemPorts();
    expect(Array.isArray(ports)).toBe(true);
    for (const p of ports) expect(typeof p.path).toBe('string');
    // Whatever is attached, the filter only ever returns listed ports.
    expect(filterBoards(ports).every((b) => ports.some((p) => p.path === b.path))).toBe(true);
  });

  it('without udevadm on the PATH, reads sysfs and finds the same USB ports', async () => {
    const withUdev = await listSystemPorts();
    const path = process.env.PATH;
    onTestFinished(() => {
      process.env.PATH = path;
    });
    // A PATH with nothing on it: serialport's spawn of udevadm fails with ENOENT, as on a host without udev.
    process.env.PATH = tempDir('no-udevadm');
    const withoutUdev = await listSystemPorts();
    expect(Array.isArray(withoutUdev)).toBe(true);
    expect(usbPorts(withoutUdev)).toEqual(usbPorts(withUdev));
    for (const p of withoutUdev) expect(p.path).toMatch(/^\/dev\/(tty|rfcomm)/);
  });
});
