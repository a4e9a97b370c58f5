import { readFile, readdir, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SerialPort } from 'serialport';
import { BenchError } from '../errors.js';
import type { ListSerialPorts, SerialPortInfo } from './discovery.js';

/** Serial console speed of NerdMiner (Serial.begin(115200)) and ESP-IDF's default console. */
export const DEFAULT_CONSOLE_BAUD_RATE = 115200;

/** The serial devices serialport's Linux list keeps (its checkPathOfDevice). */
const SERIAL_NAME = /(tty(S|WCH|ACM|USB|AMA|MFD|O|XRUSB)|rfcomm)/;

/**
 * The system's serial ports. On Linux serialport runs `udevadm` (Debian's `udev` package); where
 * it is missing (a slim container), the same facts are read from sysfs (/sys/class/tty), so
 * boards are still found by USB VID:PID. Only when neither works is it an error naming both.
 */
export const listSystemPorts: ListSerialPorts = () => listPorts();

export async function listPorts(
  list: () => Promise<SerialPortInfo[]> = () => SerialPort.list(),
  sysfs = '/sys',
): Promise<SerialPortInfo[]> {
  try {
    return await list();
  } catch (err) {
    if (!udevadmMissing(err)) throw err;
    try {
      return await listPortsFromSysfs(sysfs);
    } catch (sysErr) {
      throw new BenchError(
        `cannot list serial ports: udevadm is not installed (apt-get install udev) and ${join(sysfs, 'class/tty')} cannot be read (${(sysErr as Error).message}); name the board with --port`,
        err,
      );
    }
  }
}

function udevadmMissing(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException | undefined;
  return e?.code === 'ENOENT' && /udevadm/.test(`${e.syscall ?? ''} ${e.path ?? ''} ${e.message}`);
}

/**
 * What udevadm would say about each serial device, from sysfs: its /dev path, and for a USB
 * device the VID:PID, serial number and manufacturer of the USB device it hangs off (the nearest
 * parent directory with idVendor and idProduct), in udev's spelling (lowercase hex, no 0x).
 */
export async function listPortsFromSysfs(sysfs = '/sys'): Promise<SerialPortInfo[]> {
  const root = await realpath(sysfs);
  const classDir = join(root, 'class/tty');
  const names = (await readdir(classDir)).filter((n) => SERIAL_NAME.test(n)).sort();
  const ports: SerialPortInfo[] = [];
  for (const name of names) {
    let device: string;
    try {
      device = await realpath(join(classDir, name, 'device'));
    } catch {
      continue; // no device behind it (a virtual console): udev lists none either
    }
    const usb = await usbParent(device, root);
    ports.push({
      path: `/dev/${name}`,
      manufacturer: usb ? await attribute(usb, 'manufacturer') : undefined,
      serialNumber: usb ? await attribute(usb, 'serial') : undefined,
      pnpId: undefined,
      locationId: undefined,
      vendorId: usb ? await attribute(usb, 'idVendor') : undefined,
      productId: usb ? await attribute(usb, 'idProduct') : undefined,
    });
  }
  return ports;
}

async function usbParent(device: string, root: string): Promise<string | undefined> {
  const stop = join(root, 'devices');
  for (let dir = device; dir.startsWith(stop) && dir !== stop; dir = dirname(dir)) {
    if ((await attribute(dir, 'idVendor')) !== undefined && (await attribute(dir, 'idProduct')) !== undefined)
      return dir;
    if (basename(dir) === '') break;
  }
  return undefined;
}

async function attribute(dir: string, name: string): Promise<string | undefined> {
  try {
    const text = (await readFile(join(dir, name), 'utf8')).trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}

/** Opens `path` at `baudRate` (8N1) and resolves once it is open. */
export function openSerialPort(path: string, baudRate = DEFAULT_CONSOLE_BAUD_RATE): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}
