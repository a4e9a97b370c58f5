import { realpath } from 'node:fs/promises';
import { BoardNotFoundError, InvalidPortPathError } from '../errors.js';
import { identifyUsbChip } from './usb-ids.js';
import type { UsbSerialChip } from './usb-ids.js';

/**
 * What `SerialPort.list()` reports for one port. Only `path` is guaranteed; the rest is
 * undefined when the platform cannot tell (CH340 bridges, for one, have no serial number).
 */
export interface SerialPortInfo {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  pnpId?: string | undefined;
  locationId?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

/** Lists serial ports; `SerialPort.list` in production, a fake in tests. */
export type ListSerialPorts = () => Promise<readonly SerialPortInfo[]>;

export interface BoardInfo {
  /** Where the board is now; may change after a USB re-enumeration. */
  readonly path: string;
  /** USB serial number; stable across re-enumeration when the interface reports one. */
  readonly serialNumber?: string;
  readonly vendorId?: string;
  readonly productId?: string;
  readonly manufacturer?: string;
  /** The USB interface, when its VID:PID is a known one. */
  readonly chip?: UsbSerialChip;
  /** `usb`: found by VID:PID in the port list; `explicit`: named with `--port`. */
  readonly source: 'usb' | 'explicit';
}

export interface DiscoverBoardsOptions {
  list: ListSerialPorts;
  /** Explicit port paths (`--port`, repeatable). When given, only these are used, in this order. */
  ports?: readonly string[];
  /** Resolves symlinks such as /dev/serial/by-id/... so they match list() entries; realpath by default. */
  resolvePath?: (path: string) => Promise<string>;
}

/** The ports in `ports` whose VID:PID is a known ESP32 USB serial interface, in list order. */
export function filterBoards(ports: readonly SerialPortInfo[]): BoardInfo[] {
  const boards: BoardInfo[] = [];
  for (const info of ports) {
    const chip = identifyUsbChip(info.vendorId, info.productId);
    if (chip !== undefined) boards.push(toBoard(info, 'usb', chip));
  }
  return boards;
}

/**
 * Boards to test: the explicit `ports` if any were named (each enriched with what list() knows
 * about it, so a board named by path is still followed by serial number after a reset), else
 * every listed port with a known VID:PID.
 */
export async function discoverBoards(options: DiscoverBoardsOptions): Promise<BoardInfo[]> {
  const listed = await options.list();
  const explicit = options.ports ?? [];
  if (explicit.length === 0) return filterBoards(listed);

  const resolve = options.resolvePath ?? resolveOrKeep;
  const listedByRealPath = new Map<string, SerialPortInfo>();
  for (const info of listed) listedByRealPath.set(await resolve(info.path), info);

  const boards: BoardInfo[] = [];
  const seen = new Set<string>();
  for (const path of explicit) {
    if (typeof path !== 'string' || path.trim() === '') throw new InvalidPortPathError(path);
    const real = await resolve(path);
    if (seen.has(real)) continue;
    seen.add(real);
    const info = listedByRealPath.get(real);
    const chip = info === undefined ? undefined : identifyUsbChip(info.vendorId, info.productId);
    boards.push(toBoard({ ...info, path }, 'explicit', chip));
  }
  return boards;
}

/** The board's identity across re-enumeration: its USB serial number, else its path. */
export function boardKey(board: Pick<BoardInfo, 'path' | 'serialNumber'>): string {
  return board.serialNumber ?? board.path;
}

/** The listed port carrying this USB serial number, as a board (first match), if any. */
export function findBoardBySerial(
  ports: readonly SerialPortInfo[],
  serialNumber: string,
): BoardInfo | undefined {
  const info = ports.find((p) => p.serialNumber === serialNumber);
  if (info === undefined) return undefined;
  return toBoard(info, 'usb', identifyUsbChip(info.vendorId, info.productId));
}

/**
 * Where `board` is now: by serial number when it has one, else by its path. Throws
 * BoardNotFoundError when it is not listed (unplugged, or mid re-enumeration).
 */
export async function locateBoard(list: ListSerialPorts, board: BoardInfo): Promise<BoardInfo> {
  const ports = await list();
  if (board.serialNumber !== undefined) {
    const found = findBoardBySerial(ports, board.serialNumber);
    if (found !== undefined) return { ...found, source: board.source };
  } else if (ports.some((p) => p.path === board.path) || board.source === 'explicit') {
    return board;
  }
  throw new BoardNotFoundError(boardKey(board));
}

function toBoard(
  info: SerialPortInfo,
  source: BoardInfo['source'],
  chip: UsbSerialChip | undefined,
): BoardInfo {
  return {
    path: info.path,
    source,
    ...(info.serialNumber !== undefined && { serialNumber: info.serialNumber }),
    ...(info.vendorId !== undefined && { vendorId: info.vendorId }),
    ...(info.productId !== undefined && { productId: info.productId }),
    ...(info.manufacturer !== undefined && { manufacturer: info.manufacturer }),
    ...(chip !== undefined && { chip }),
  };
}

async function resolveOrKeep(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}
