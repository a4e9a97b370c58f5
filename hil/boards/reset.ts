import type { Logger } from '../../runtime/logger.js';
import { BoardNotFoundError, BoardReenumerationTimeoutError, SerialControlError } from '../errors.js';
import { boardKey, locateBoard } from './discovery.js';
import type { BoardInfo, ListSerialPorts } from './discovery.js';
import type { Sleep } from './sleep.js';
import type { ResetStyle } from './usb-ids.js';

/**
 * esptool's HardReset (espressif/esptool, esptool/reset.py): RTS drives EN low through the
 * auto-reset transistors, the chip is held in reset, then released with IO0 high (DTR false) so
 * it boots the application rather than the ROM download mode.
 */
export const HARD_RESET_HOLD_MS = 100;
/** Chips on their own USB-Serial/JTAG peripheral need longer to handle the line changes... */
export const USB_JTAG_RESET_HOLD_MS = 200;
/** ...and drop off the bus during reset; esptool waits this long after release. */
export const USB_JTAG_RESET_SETTLE_MS = 200;
/** How long a board may take to come back on the USB bus after a reset. */
export const DEFAULT_REENUMERATION_TIMEOUT_MS = 10_000;
export const DEFAULT_REENUMERATION_POLL_MS = 100;

/** Both modem control lines. serialport's set() defaults any flag left out to true, so always pass both. */
export interface ControlLines {
  dtr: boolean;
  rts: boolean;
}

/** The part of a serialport SerialPort a reset needs (its callback API). */
export interface ResettablePort {
  readonly isOpen: boolean;
  set(options: ControlLines, callback?: (err: Error | null) => void): void;
  close(callback?: (err?: Error | null) => void): void;
}

export interface HardResetOptions {
  style: ResetStyle;
  sleep: Sleep;
}

/** Pulses EN: set({dtr:false, rts:true}), hold, set({dtr:false, rts:false}); USB-JTAG also waits to settle. */
export async function hardReset(port: Pick<ResettablePort, 'set'>, options: HardResetOptions): Promise<void> {
  const usbJtag = options.style === 'usb-jtag';
  await setLines(port, { dtr: false, rts: true }, ASSERT_EN);
  await options.sleep(usbJtag ? USB_JTAG_RESET_HOLD_MS : HARD_RESET_HOLD_MS);
  await setLines(port, { dtr: false, rts: false }, RELEASE_EN);
  if (usbJtag) await options.sleep(USB_JTAG_RESET_SETTLE_MS);
}

/** SerialControlError.operation of the two steps. */
export const ASSERT_EN = 'set (assert EN)';
export const RELEASE_EN = 'set (release EN)';

export interface ResetBoardOptions<P extends ResettablePort> {
  board: BoardInfo;
  /** The board's open port. */
  port: P;
  /** Opens a port by path (openSerialPort in production). */
  open: (path: string) => Promise<P>;
  list: ListSerialPorts;
  sleep: Sleep;
  /**
   * `auto` (default) reopens when the board re-enumerates (USB-Serial/JTAG) or the port closed
   * during the reset; `always` reopens regardless; `never` leaves the port as it is.
   */
  reopen?: 'auto' | 'always' | 'never';
  reenumerationTimeoutMs?: number;
  pollIntervalMs?: number;
  log?: Logger;
}

export interface ResetBoardResult<P> {
  board: BoardInfo;
  port: P;
  reopened: boolean;
}

/**
 * Hard-resets a board and, when it re-enumerates, finds it again by serial number (its path may
 * change) and reopens it. Resolves with the board and port to use from now on.
 */
export async function resetBoard<P extends ResettablePort>(
  options: ResetBoardOptions<P>,
): Promise<ResetBoardResult<P>> {
  const { board, port } = options;
  const style = board.chip?.reset ?? 'uart-bridge';
  const log = options.log?.child({ board: boardKey(board) });
  log?.info({ path: board.path, style }, 'hard reset');
  try {
    await hardReset(port, { style, sleep: options.sleep });
  } catch (err) {
    // A USB-Serial/JTAG chip leaves the bus while held in reset, so releasing EN through the old
    // handle can fail; the chip restarts anyway. Any other failure means no reset happened.
    const leftTheBus =
      style === 'usb-jtag' && err instanceof SerialControlError && err.operation === RELEASE_EN;
    if (!leftTheBus) throw err;
    log?.info({ err: err.message }, 'board left the bus during reset');
    await options.sleep(USB_JTAG_RESET_SETTLE_MS);
  }

  const mode = options.reopen ?? 'auto';
  const reopen = mode === 'always' || (mode === 'auto' && (style === 'usb-jtag' || !port.isOpen));
  if (!reopen) return { board, port, reopened: false };

  await closeQuietly(port);
  const reopened = await reopenBoard({ ...options, log });
  log?.info({ path: reopened.board.path }, 'board reopened after reset');
  return { ...reopened, reopened: true };
}

export interface ReopenBoardOptions<P> {
  board: BoardInfo;
  open: (path: string) => Promise<P>;
  list: ListSerialPorts;
  sleep: Sleep;
  reenumerationTimeoutMs?: number;
  pollIntervalMs?: number;
  log?: Logger | undefined;
}

/**
 * Polls the port list until the board is back (by serial number, else by path) and opens it.
 * A board still listed under its old path, or not yet openable, is retried until the bounded
 * wait runs out; then BoardReenumerationTimeoutError carries the last failure as its cause.
 */
export async function reopenBoard<P>(options: ReopenBoardOptions<P>): Promise<{ board: BoardInfo; port: P }> {
  const timeoutMs = options.reenumerationTimeoutMs ?? DEFAULT_REENUMERATION_TIMEOUT_MS;
  const pollMs = Math.max(1, options.pollIntervalMs ?? DEFAULT_REENUMERATION_POLL_MS);
  const attempts = Math.floor(timeoutMs / pollMs) + 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await options.sleep(pollMs);
    try {
      const board = await locateBoard(options.list, options.board);
      const port = await options.open(board.path);
      return { board, port };
    } catch (err) {
      lastError = err;
      if (!(err instanceof BoardNotFoundError)) options.log?.debug({ err, attempt }, 'reopen attempt failed');
    }
  }
  throw new BoardReenumerationTimeoutError(boardKey(options.board), timeoutMs, lastError);
}

function setLines(port: Pick<ResettablePort, 'set'>, lines: ControlLines, operation: string): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      port.set({ dtr: lines.dtr, rts: lines.rts }, (err) =>
        err ? reject(new SerialControlError(operation, err)) : resolve(),
      );
    } catch (err) {
      reject(new SerialControlError(operation, err));
    }
  });
}

function closeQuietly(port: ResettablePort): Promise<void> {
  if (!port.isOpen) return Promise.resolve();
  // The device may already be gone from the bus; a failed close still releases the handle.
  return new Promise((resolve) => {
    try {
      port.close(() => resolve());
    } catch {
      resolve();
    }
  });
}
