import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { systemClock } from '../../runtime/clock.js';
import type { Clock } from '../../runtime/clock.js';
import type { Logger } from '../../runtime/logger.js';
import type { BoardInfo } from '../boards/discovery.js';
import type { BoardHandle } from '../boards/serial-board.js';
import { BoardConsole } from '../serial/board-console.js';
import { StderrTail } from './stderr-tail.js';

/** Account part of a host board's worker name (a made-up address, nobody's wallet). */
export const DEFAULT_HOST_WALLET = 'bc1qkaroohilhostfirmware00000000000000000';

/**
 * The default seed of the firmware's rand(): its first four draws are multiples of 60, so the
 * first four waits after a failed connect (NerdMiner: 1 + rand() % 60 seconds) are 1 s each.
 * Seed 1 is what a freshly booted ESP32 draws from (waits of 54, 4, 3, 30 s).
 */
export const DEFAULT_HOST_SEED = 115583;

export interface HostBoardOptions {
  /** 1-based; the board is named `host-<index>`. */
  index: number;
  /** The built firmware (buildHostFirmware). */
  binary: string;
  /** Where it mines, stratum+tcp://HOST:PORT. */
  stratumUrl: string;
  /** Its btcString (the worker name it authorizes with); `<wallet>.host-<index>` by default. */
  worker?: string;
  password?: string;
  seed?: number;
  log?: Logger;
  clock?: Clock;
}

export interface HostBoard extends BoardHandle {
  readonly worker: string;
  /** The firmware process now running, if powered on. */
  readonly pid: number | undefined;
}

export function hostBoardName(index: number): string {
  return `host-${index}`;
}

export function hostWorkerName(index: number, wallet = DEFAULT_HOST_WALLET): string {
  return `${wallet}.${hostBoardName(index)}`;
}

/**
 * A firmware built for the host, run as a board: its standard output is the serial console, read
 * through the same pipeline and BoardConsole as a real board's port. It starts powered off; reset()
 * kills the process (its sockets close as a board's do when it loses power) and starts a fresh one.
 * A process that exits by itself (a crash, a sanitizer, an abort) makes the board gone, with the
 * exit status and the last lines of its standard error.
 */
export function createHostBoard(options: HostBoardOptions): HostBoard {
  return new HostBoardImpl(options);
}

class HostBoardImpl implements HostBoard {
  readonly name: string;
  readonly worker: string;
  readonly info: BoardInfo;
  readonly console: BoardConsole;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private detach: (() => void) | undefined;
  private closed = false;

  constructor(private readonly options: HostBoardOptions) {
    this.name = hostBoardName(options.index);
    this.worker = options.worker ?? hostWorkerName(options.index);
    this.info = { path: options.binary, source: 'explicit' };
    const log = options.log?.child({ board: this.name });
    this.console = new BoardConsole({
      name: this.name,
      clock: options.clock ?? systemClock,
      ...(log !== undefined && { log }),
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async reset(): Promise<void> {
    if (this.closed) throw new Error(`${this.name} is closed`);
    if (this.console.gone !== undefined) throw this.console.gone;
    await this.powerOff();
    this.start();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.powerOff();
    this.console.cancelWaits(new Error(`${this.name} closed`));
  }

  private start(): void {
    const { host, port } = parseStratumUrl(this.options.stratumUrl);
    const child = spawn(this.options.binary, [], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        KAROO_HOST_POOL_HOST: host,
        KAROO_HOST_POOL_PORT: String(port),
        KAROO_HOST_WALLET: this.worker,
        KAROO_HOST_POOL_PASSWORD: this.options.password ?? 'x',
        KAROO_HOST_SEED: String(this.options.seed ?? DEFAULT_HOST_SEED),
      },
    });
    const stderr = new StderrTail();
    stderr.follow(child.stderr!);
    this.child = child;
    this.detach = this.console.attach(child.stdout!);
    this.exited = new Promise((resolve) => {
      child.once('error', (err) => {
        if (this.child === child) this.console.markGone(`the firmware could not start: ${err.message}`);
        resolve();
      });
      // 'close', not 'exit': the console has then read everything the process printed.
      child.once('close', (code, signal) => {
        if (this.child === child) {
          const status = signal !== null ? `signal ${signal}` : `exit code ${code ?? '?'}`;
          const tail = stderr.get();
          this.console.markGone(
            `the firmware process exited (${status})${tail.length > 0 ? `; its stderr ended: ${tail.join(' | ')}` : ''}`,
          );
        }
        resolve();
      });
    });
  }

  /** Stops the firmware (SIGKILL: power gone, no goodbye) and waits until it is gone. */
  private async powerOff(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined) return;
    this.detach?.();
    this.detach = undefined;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await this.exited;
  }
}

function parseStratumUrl(url: string): { host: string; port: number } {
  const m = /^stratum\+tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})\/?$/.exec(url);
  if (m === null) throw new Error(`not a stratum+tcp://HOST:PORT URL: ${url}`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}
