import { networkInterfaces } from 'node:os';
import type { Logger } from '../../runtime/logger.js';
import { silentLogger } from '../../runtime/logger.js';
import { discoverBoards } from '../boards/discovery.js';
import type { ListSerialPorts } from '../boards/discovery.js';
import { openSerialBoard } from '../boards/serial-board.js';
import type { BoardHandle } from '../boards/serial-board.js';
import { listSystemPorts } from '../boards/serial-port.js';
import { BenchError } from '../errors.js';
import type { SuiteResult } from '../reports/suite-result.js';
import { writeReports } from '../reports/write-reports.js';
import { selectScenarios } from '../scenarios/index.js';
import {
  createVirtualBoards,
  DEFAULT_VIRTUAL_HASHRATE,
  virtualWorkerName,
} from '../virtual/virtual-board.js';
import type { Bench } from './bench.js';
import {
  DEFAULT_REAL_DIFFICULTY,
  DEFAULT_REAL_LISTEN,
  DEFAULT_VIRTUAL_DIFFICULTY,
  DEFAULT_VIRTUAL_LISTEN,
  startLocalBench,
} from './local-bench.js';
import type { ProgressEvent } from './progress-event.js';
import { connectRemoteBench } from './remote-bench.js';
import { runSuite } from './run-suite.js';
import type { SuiteBoard } from './run-suite.js';
import type { Timing } from './timing.js';
import {
  DEFAULT_REAL_HASHRATE_BAND_KHS,
  REAL_TIMING,
  VIRTUAL_TIMING,
  virtualHashrateBandKhs,
} from './timing.js';

export const MAX_VIRTUAL_BOARDS = 16;

export interface HilOptions {
  /** This many virtual boards (simulated NerdMiners on socat pseudo-terminals) instead of real ones. */
  virtual?: number;
  /** Real boards' serial ports; with neither this nor `virtual`, every known ESP32 USB interface. */
  ports?: readonly string[];
  /** Worker names the boards authorize with, in board order (optional: read from their consoles). */
  workers?: readonly string[];
  /** Drive a running proxy through its HTTP API instead of starting a pool and proxy. */
  proxyUrl?: string;
  /** That proxy's Stratum URL (default: its HTTP host, port 3334). */
  stratumUrl?: string;
  proxyToken?: string;
  /** Boards mine straight to the pool simulator (no proxy). */
  direct?: boolean;
  /** Where the harness's proxy (or pool, with `direct`) listens for boards. */
  listen?: string;
  /** Pool simulator share difficulty. */
  difficulty?: number;
  /** Scenario names (default: all but the optional soak). */
  scenarios?: readonly string[];
  /** Adds the soak scenario, this long. */
  soakMs?: number;
  bootTimeoutMs?: number;
  /** Overrides the hash-rate band (kH/s). */
  hashrateBandKhs?: readonly [number, number];
  /** Virtual boards' hash rate cap, H/s. */
  virtualHashrate?: number;
  /** False: never reset real boards. */
  reset?: boolean;
  junit?: string;
  json?: string;
  timing?: Partial<Timing>;
  logger?: Logger;
  onProgress?: (event: ProgressEvent) => void;
  listPorts?: ListSerialPorts;
  /** Aborting (Ctrl-C) ends the suite early; reports are still written and everything closed. */
  signal?: AbortSignal;
}

/**
 * The whole `karoo hil` run: starts (or reaches) the bench, opens the boards, runs the suite,
 * writes the reports, and closes everything it opened, whatever happens.
 */
export async function runHil(options: HilOptions): Promise<SuiteResult> {
  const log = options.logger ?? silentLogger();
  const virtual = options.virtual ?? 0;
  checkOptions(options, virtual);
  const names = [...(options.scenarios ?? [])];
  if (options.soakMs !== undefined && !names.includes('soak')) {
    if (names.length === 0) names.push(...selectScenarios().map((s) => s.name));
    names.push('soak');
  }
  const scenarios = selectScenarios(names);
  const timing: Timing = {
    ...(virtual > 0 ? VIRTUAL_TIMING : REAL_TIMING),
    ...options.timing,
    ...(options.soakMs !== undefined && { soakMs: options.soakMs }),
    ...(options.bootTimeoutMs !== undefined && { bootMs: options.bootTimeoutMs }),
  };

  const bench = await openBench(options, virtual, log);
  const handles: BoardHandle[] = [];
  try {
    const boards = await openBoards(options, virtual, bench, log, handles);
    const result = await runSuite({
      boards,
      bench,
      scenarios,
      timing,
      reset: options.reset !== false,
      log,
      notes: virtual > 0 ? [] : realBoardNotes(bench),
      ...(options.onProgress !== undefined && { onProgress: options.onProgress }),
      ...(options.signal !== undefined && { signal: options.signal }),
    });
    await writeReports(result, { junit: options.junit, json: options.json });
    return result;
  } finally {
    await Promise.allSettled(handles.map((h) => h.close()));
    await bench.close();
  }
}

function checkOptions(options: HilOptions, virtual: number): void {
  if (!Number.isInteger(virtual) || virtual < 0 || virtual > MAX_VIRTUAL_BOARDS) {
    throw new BenchError(`--virtual: expected 1 to ${MAX_VIRTUAL_BOARDS} boards, got ${virtual}`);
  }
  if (virtual > 0 && (options.ports?.length ?? 0) > 0) {
    throw new BenchError('--virtual and --port cannot be mixed: run virtual and real boards separately');
  }
  if (options.proxyUrl !== undefined && options.direct === true) {
    throw new BenchError(
      '--proxy and --direct cannot be mixed: --direct runs the pool simulator without a proxy',
    );
  }
  if (options.proxyUrl === undefined && options.stratumUrl !== undefined) {
    throw new BenchError("--stratum only goes with --proxy (the harness knows its own proxy's URL)");
  }
}

async function openBench(options: HilOptions, virtual: number, log: Logger): Promise<Bench> {
  if (options.proxyUrl !== undefined) {
    return connectRemoteBench({
      proxyUrl: options.proxyUrl,
      ...(options.stratumUrl !== undefined && { stratumUrl: options.stratumUrl }),
      ...(options.proxyToken !== undefined && { token: options.proxyToken }),
    });
  }
  return startLocalBench({
    mode: options.direct === true ? 'direct' : 'proxy',
    difficulty: options.difficulty ?? (virtual > 0 ? DEFAULT_VIRTUAL_DIFFICULTY : DEFAULT_REAL_DIFFICULTY),
    listen: options.listen ?? (virtual > 0 ? DEFAULT_VIRTUAL_LISTEN : DEFAULT_REAL_LISTEN),
    logger: log,
  });
}

async function openBoards(
  options: HilOptions,
  virtual: number,
  bench: Bench,
  log: Logger,
  handles: BoardHandle[],
): Promise<SuiteBoard[]> {
  const workers = options.workers ?? [];
  if (virtual > 0) {
    const hashrate = options.virtualHashrate ?? DEFAULT_VIRTUAL_HASHRATE;
    const boards = await createVirtualBoards(virtual, {
      stratumUrl: bench.stratumUrl,
      hashrate,
      log,
      worker: (index) => workers[index - 1] ?? virtualWorkerName(index),
    });
    handles.push(...boards);
    return boards.map((b) => ({
      handle: b,
      worker: b.worker,
      virtual: true,
      hashrateBandKhs: options.hashrateBandKhs ?? virtualHashrateBandKhs(hashrate),
    }));
  }
  const found = await discoverBoards({
    list: options.listPorts ?? listSystemPorts,
    ...(options.ports !== undefined && options.ports.length > 0 && { ports: options.ports }),
  });
  if (found.length === 0) {
    throw new BenchError(
      'no boards: no serial port with a known ESP32 USB VID:PID is connected (name one with --port, or use --virtual N)',
    );
  }
  const boards: SuiteBoard[] = [];
  for (const [i, info] of found.entries()) {
    let handle: BoardHandle;
    try {
      handle = await openSerialBoard(info, { log });
    } catch (err) {
      throw new BenchError(`cannot open ${info.path}: ${(err as Error).message}`, err);
    }
    handles.push(handle);
    const worker = workers[i];
    boards.push({
      handle,
      ...(worker !== undefined && { worker }),
      virtual: false,
      hashrateBandKhs: options.hashrateBandKhs ?? DEFAULT_REAL_HASHRATE_BAND_KHS,
    });
  }
  return boards;
}

/** Where real boards must be configured to mine (they cannot be told from here). */
function realBoardNotes(bench: Bench): string[] {
  if (bench.kind === 'remote-proxy') {
    return [`real boards must be configured to mine to ${bench.stratumUrl}`];
  }
  const port = /:(\d+)\/?$/.exec(bench.stratumUrl)?.[1];
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => `stratum+tcp://${a!.address}:${port ?? ''}`);
  return [
    `real boards must be configured (NerdMiner: its config portal, pool and port) to mine to this machine: ${lan.length > 0 ? lan.join(' or ') : bench.stratumUrl}`,
  ];
}
