import type { Readable } from 'node:stream';
import { systemClock } from '../../runtime/clock.js';
import type { Clock } from '../../runtime/clock.js';
import type { Logger } from '../../runtime/logger.js';
import { BoardConsole } from '../serial/board-console.js';
import { boardKey } from './discovery.js';
import type { BoardInfo, ListSerialPorts } from './discovery.js';
import { resetBoard } from './reset.js';
import type { ResettablePort } from './reset.js';
import { DEFAULT_CONSOLE_BAUD_RATE, listSystemPorts, openSerialPort } from './serial-port.js';
import { clockSleep } from './sleep.js';

/**
 * A board under test as scenarios see it: its console (events and state) plus reset and close.
 * Real boards get one from openSerialBoard; virtual boards implement the same interface.
 */
export interface BoardHandle {
  readonly name: string;
  /** Where the board is now (the path can change when it re-enumerates). */
  readonly info: BoardInfo;
  readonly console: BoardConsole;
  /** Restarts the board's firmware; the console keeps reading across it. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** A serial port whose bytes can be read and whose modem lines can be set (serialport's SerialPort). */
export type ConsolePort = ResettablePort & Readable;

export interface OpenSerialBoardOptions<P extends ConsolePort> {
  open?: (path: string) => Promise<P>;
  list?: ListSerialPorts;
  baudRate?: number;
  clock?: Clock;
  log?: Logger;
}

/** Opens a real board's serial console and returns its handle; reset() is esptool's hard reset. */
export async function openSerialBoard<P extends ConsolePort>(
  info: BoardInfo,
  options: OpenSerialBoardOptions<P> = {},
): Promise<BoardHandle> {
  const baudRate = options.baudRate ?? DEFAULT_CONSOLE_BAUD_RATE;
  const open = options.open ?? ((path: string) => openSerialPort(path, baudRate) as unknown as Promise<P>);
  const list = options.list ?? listSystemPorts;
  const clock = options.clock ?? systemClock;
  const name = boardKey(info);
  const console = new BoardConsole({ name, clock, ...(options.log !== undefined && { log: options.log }) });

  let current = info;
  let port = await open(info.path);
  let detach = console.attach(port);
  let resetting = false;
  // A USB-Serial/JTAG board leaves the bus during its reset, and the reset reopens it; any other
  // close of the port means the board is gone (unplugged, a hub that dropped it).
  console.on('closed', (err) => {
    if (!resetting) console.markGone(`serial port ${current.path} closed${err ? ` (${err.message})` : ''}`);
  });

  return {
    name,
    get info() {
      return current;
    },
    console,
    async reset() {
      if (console.gone !== undefined) throw console.gone;
      resetting = true;
      try {
        const result = await resetBoard({
          board: current,
          port,
          open,
          list,
          sleep: clockSleep(clock),
          ...(options.log !== undefined && { log: options.log }),
        });
        if (result.reopened) {
          detach();
          port = result.port;
          detach = console.attach(port);
        }
        current = result.board;
      } catch (err) {
        if (!port.isOpen) console.markGone(`not back after a reset: ${(err as Error).message}`);
        throw err;
      } finally {
        resetting = false;
      }
    },
    async close() {
      detach();
      console.cancelWaits(new Error(`${name} closed`));
      if (!port.isOpen) return;
      await new Promise<void>((resolve) => port.close(() => resolve()));
    },
  };
}
