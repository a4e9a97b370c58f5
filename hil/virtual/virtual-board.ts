import type { SerialPort } from 'serialport';
import { systemClock } from '../../runtime/clock.js';
import type { Clock } from '../../runtime/clock.js';
import type { Logger } from '../../runtime/logger.js';
import { startMiner } from '../../simulator/miners/index.js';
import type { MinerOptions, SimulatedMiner } from '../../simulator/miners/index.js';
import type { BoardInfo } from '../boards/discovery.js';
import type { BoardHandle } from '../boards/serial-board.js';
import { openSerialPort } from '../boards/serial-port.js';
import { BoardConsole } from '../serial/board-console.js';
import { createPtyPair } from './pty-pair.js';
import type { PtyPair } from './pty-pair.js';
import { ESP32_POWERON_BANNER } from './rom-banner.js';
import { UartWriter } from './uart-writer.js';

/**
 * A virtual board's hash rate cap (H/s). Far below a real NerdMiner 1.8 (~345 kH/s) so two boards,
 * the proxy and the pool fit on one CI core, yet enough to find a share at difficulty 2e-5 (about
 * 86 k hashes) every second or two.
 */
export const DEFAULT_VIRTUAL_HASHRATE = 60_000;
/** NerdMiner waits a random 1-60 s after a failed connect; a virtual board 0.1-1 s. */
export const DEFAULT_VIRTUAL_RECONNECT_MS: readonly [number, number] = [100, 1000];
/** Account part of a virtual board's worker name (a made-up address, nobody's wallet). */
export const DEFAULT_VIRTUAL_WALLET = 'bc1qkaroohilvirtualboard000000000000000';

export interface VirtualBoardOptions {
  /** 1-based; the board is named `virtual-<index>`. */
  index: number;
  /** Where the simulated NerdMiner mines, stratum+tcp://HOST:PORT. */
  stratumUrl: string;
  /** Worker name it authorizes with (NerdMiner's btcString); `<wallet>.virtual-<index>` by default. */
  worker?: string;
  password?: string;
  hashrate?: number;
  reconnectDelayMs?: readonly [number, number];
  log?: Logger;
  clock?: Clock;
  /** Where socat puts the pty links (the system temp directory by default). */
  ptyDir?: string;
  /** Further simulated-miner options (firmware version, faults, timers). */
  miner?: Partial<Omit<MinerOptions, 'profile' | 'url' | 'worker' | 'console'>>;
}

/** A simulated NerdMiner behind a pseudo-terminal pair, read exactly like a real board. */
export interface VirtualBoard extends BoardHandle {
  readonly worker: string;
  readonly pty: PtyPair;
  /** The firmware now running, if powered on. */
  readonly miner: SimulatedMiner | undefined;
  /** Console lines dropped because the reader fell behind. */
  readonly droppedLines: number;
  /** Stops the firmware (its TCP session closes) and leaves the ports open. */
  powerOff(): Promise<void>;
}

export function virtualBoardName(index: number): string {
  return `virtual-${index}`;
}

export function virtualWorkerName(index: number, wallet = DEFAULT_VIRTUAL_WALLET): string {
  return `${wallet}.${virtualBoardName(index)}`;
}

/**
 * Creates the pty pair, opens its board end as the "UART" and its other end as the harness's
 * serial port (SerialPort + the console pipeline, as for a real board). The board starts powered
 * off: the first reset() boots it. Reset prints the ESP32 ROM banner and restarts the simulated
 * NerdMiner, since a pty has no DTR/RTS to pulse EN with.
 */
export async function createVirtualBoard(options: VirtualBoardOptions): Promise<VirtualBoard> {
  const name = virtualBoardName(options.index);
  const worker = options.worker ?? virtualWorkerName(options.index);
  const clock = options.clock ?? systemClock;
  const log = options.log?.child({ board: name });
  const pty = await createPtyPair({ clock, ...(options.ptyDir !== undefined && { dir: options.ptyDir }) });
  const opened: SerialPort[] = [];
  try {
    const uartPort = await openSerialPort(pty.a);
    opened.push(uartPort);
    const hostPort = await openSerialPort(pty.b);
    opened.push(hostPort);
    return new VirtualBoardImpl(name, worker, pty, uartPort, hostPort, clock, options, log);
  } catch (err) {
    await Promise.all(opened.map(closePort));
    await pty.close();
    throw err;
  }
}

/** `count` virtual boards, numbered from 1; none is left open if one fails. */
export async function createVirtualBoards(
  count: number,
  options: Omit<VirtualBoardOptions, 'index' | 'worker'> & { worker?: (index: number) => string },
): Promise<VirtualBoard[]> {
  const { worker, ...common } = options;
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      createVirtualBoard({
        ...common,
        index: i + 1,
        ...(worker !== undefined && { worker: worker(i + 1) }),
      }),
    ),
  );
  const boards = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(boards.map((b) => b.close()));
    throw failed.reason;
  }
  return boards;
}

class VirtualBoardImpl implements VirtualBoard {
  readonly console: BoardConsole;
  readonly info: BoardInfo;
  private readonly uart: UartWriter;
  private readonly detach: () => void;
  private current: SimulatedMiner | undefined;
  private closed = false;

  constructor(
    readonly name: string,
    readonly worker: string,
    readonly pty: PtyPair,
    private readonly uartPort: SerialPort,
    private readonly hostPort: SerialPort,
    clock: Clock,
    private readonly options: VirtualBoardOptions,
    private readonly log: Logger | undefined,
  ) {
    this.info = { path: pty.b, source: 'explicit' };
    this.uart = new UartWriter(uartPort);
    this.console = new BoardConsole({ name, clock, ...(log !== undefined && { log }) });
    this.detach = this.console.attach(hostPort);
    // Its cable going (socat dying, either pty failing) is the board losing power: the firmware
    // stops with it. A pty's reader is not always told its peer went away, so socat is watched too.
    this.console.once('closed', (err) => this.lost(`serial port ${pty.b} closed${detail(err)}`));
    uartPort.on('error', (err) => this.lost(`its UART end ${pty.a} failed${detail(err)}`));
    void pty.exited.then(() => this.lost('its pseudo-terminal pair (socat) exited'));
  }

  private lost(reason: string): void {
    if (this.closed) return;
    this.console.markGone(reason);
    void this.powerOff();
  }

  get miner(): SimulatedMiner | undefined {
    return this.current;
  }

  get droppedLines(): number {
    return this.uart.dropped;
  }

  async powerOff(): Promise<void> {
    const miner = this.current;
    this.current = undefined;
    await miner?.stop();
  }

  async reset(): Promise<void> {
    if (this.closed) throw new Error(`${this.name} is closed`);
    if (this.console.gone !== undefined) throw this.console.gone;
    await this.powerOff();
    this.log?.info('virtual reset: firmware restarted');
    for (const line of ESP32_POWERON_BANNER) this.uart.writeLine(line);
    const o = this.options;
    this.current = startMiner({
      ...o.miner,
      profile: 'nerdminer',
      url: o.stratumUrl,
      worker: this.worker,
      hashrate: o.hashrate ?? DEFAULT_VIRTUAL_HASHRATE,
      reconnectDelayMs: o.reconnectDelayMs ?? DEFAULT_VIRTUAL_RECONNECT_MS,
      console: (line) => this.uart.writeLine(line),
      ...(o.password !== undefined && { password: o.password }),
      ...(this.log !== undefined && { logger: this.log }),
      ...(o.clock !== undefined && { clock: o.clock }),
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.powerOff();
    this.detach();
    this.console.cancelWaits(new Error(`${this.name} closed`));
    await Promise.all([closePort(this.uartPort), closePort(this.hostPort)]);
    await this.pty.close();
  }
}

function detail(err: Error | undefined): string {
  return err === undefined ? '' : ` (${err.message})`;
}

function closePort(port: SerialPort): Promise<void> {
  if (!port.isOpen) return Promise.resolve();
  return new Promise((resolve) => port.close(() => resolve()));
}
