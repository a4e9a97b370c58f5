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
import { buildHostFirmware } from '../host-firmware/build-firmware.js';
import type { HostFirmwareBuild } from '../host-firmware/build-firmware.js';
import { createHostBoard, hostWorkerName } from '../host-firmware/host-board.js';
import { arduinoJsonVersion } from '../host-firmware/checkout.js';
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

/** `--host-firmware`: a NerdMiner checkout built for this machine and run as boards. */
export interface HostFirmwareOptions {
  /** The NerdMiner_v2 checkout. */
  dir: string;
  /** Instances to run (1-16, default 1). */
  boards?: number;
  /** The folder holding ArduinoJson.h (default: the checkout's .pio/libdeps). */
  arduinoJson?: string;
  /** Seed of the firmware's rand() (default DEFAULT_HOST_SEED: short reconnect waits). */
  seed?: number;
  /** Where built binaries are kept (default ~/.cache/karoo/host-firmware). */
  cacheDir?: string;
  env?: NodeJS.ProcessEnv;
}

export interface HilOptions {
  /** This many virtual boards (simulated NerdMiners on socat pseudo-terminals) instead of real ones. */
  virtual?: number;
  /** Run a NerdMiner checkout's own Stratum code on this machine, as boards. */
  hostFirmware?: HostFirmwareOptions;
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
  // Firmware on the host is as local and fast as a virtual board.
  const local = virtual > 0 || options.hostFirmware !== undefined;
  const timing: Timing = {
    ...(local ? VIRTUAL_TIMING : REAL_TIMING),
    ...options.timing,
    ...(options.soakMs !== undefined && { soakMs: options.soakMs }),
    ...(options.bootTimeoutMs !== undefined && { bootMs: options.bootTimeoutMs }),
  };

  const build = await buildForHost(options);
  const bench = await openBench(options, local, log);
  const handles: BoardHandle[] = [];
  try {
    const boards =
      build !== undefined
        ? openHostBoards(options.hostFirmware!, build, options, bench, log, handles)
        : await openBoards(options, virtual, bench, log, handles);
    const result = await runSuite({
      boards,
      bench,
      scenarios,
      timing,
      reset: options.reset !== false,
      log,
      notes: local ? [] : realBoardNotes(bench),
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
  const host = options.hostFirmware;
  if (host !== undefined) {
    const n = host.boards ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > MAX_VIRTUAL_BOARDS) {
      throw new BenchError(`--boards: expected 1 to ${MAX_VIRTUAL_BOARDS} boards, got ${n}`);
    }
    if (virtual > 0 || (options.ports?.length ?? 0) > 0) {
      throw new BenchError(
        '--host-firmware runs the firmware on this machine: it cannot be mixed with --virtual or --port',
      );
    }
  }
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

async function openBench(options: HilOptions, local: boolean, log: Logger): Promise<Bench> {
  if (options.proxyUrl !== undefined) {
    return connectRemoteBench({
      proxyUrl: options.proxyUrl,
      ...(options.stratumUrl !== undefined && { stratumUrl: options.stratumUrl }),
      ...(options.proxyToken !== undefined && { token: options.proxyToken }),
    });
  }
  return startLocalBench({
    mode: options.direct === true ? 'direct' : 'proxy',
    difficulty: options.difficulty ?? (local ? DEFAULT_VIRTUAL_DIFFICULTY : DEFAULT_REAL_DIFFICULTY),
    listen: options.listen ?? (local ? DEFAULT_VIRTUAL_LISTEN : DEFAULT_REAL_LISTEN),
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

/** Builds (or finds in the cache) the firmware `--host-firmware` names, saying what it does. */
async function buildForHost(options: HilOptions): Promise<HostFirmwareBuild | undefined> {
  const host = options.hostFirmware;
  if (host === undefined) return undefined;
  const note = (message: string): void => options.onProgress?.({ type: 'note', message });
  const build = await buildHostFirmware({
    checkout: host.dir,
    ...(host.arduinoJson !== undefined && { arduinoJson: host.arduinoJson }),
    ...(host.cacheDir !== undefined && { cacheDir: host.cacheDir }),
    ...(host.env !== undefined && { env: host.env }),
    onCompile: note,
  });
  note(
    `${build.cached ? 'cached' : 'built'} ${build.bits}-bit host firmware ${build.checkout.version} from ${build.checkout.dir}: ${build.binary}`,
  );
  const json = arduinoJsonVersion(build.arduinoJson);
  note(`ArduinoJson${json === undefined ? '' : ` ${json}`} from ${build.arduinoJson}`);
  return build;
}

function openHostBoards(
  host: HostFirmwareOptions,
  build: HostFirmwareBuild,
  options: HilOptions,
  bench: Bench,
  log: Logger,
  handles: BoardHandle[],
): SuiteBoard[] {
  const workers = options.workers ?? [];
  const description = `NerdMiner ${build.checkout.version} (${build.checkout.dir}) built for this machine, ${build.bits}-bit, ${build.toolchain.version}`;
  return Array.from({ length: host.boards ?? 1 }, (_, i) => {
    const board = createHostBoard({
      index: i + 1,
      binary: build.binary,
      stratumUrl: bench.stratumUrl,
      worker: workers[i] ?? hostWorkerName(i + 1),
      ...(host.seed !== undefined && { seed: host.seed }),
      log,
    });
    handles.push(board);
    return {
      handle: board,
      worker: board.worker,
      virtual: true,
      hashrateBandKhs: options.hashrateBandKhs ?? DEFAULT_REAL_HASHRATE_BAND_KHS,
      build: description,
    };
  });
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
