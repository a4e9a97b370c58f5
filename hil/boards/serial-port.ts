import { SerialPort } from 'serialport';
import type { ListSerialPorts } from './discovery.js';

/** Serial console speed of NerdMiner (Serial.begin(115200)) and ESP-IDF's default console. */
export const DEFAULT_CONSOLE_BAUD_RATE = 115200;

/** The system's serial ports (on Linux this runs `udevadm`, from Debian's `udev` package). */
export const listSystemPorts: ListSerialPorts = () => SerialPort.list();

/** Opens `path` at `baudRate` (8N1) and resolves once it is open. */
export function openSerialPort(path: string, baudRate = DEFAULT_CONSOLE_BAUD_RATE): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}
