import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../runtime/usage-error.js';
import { createLogger } from '../runtime/logger.js';
import { setupProblem } from '../runtime/system-error.js';
import { HilError, HostBuildError, HostFirmwareError } from './errors.js';
import { inspectCheckout } from './host-firmware/checkout.js';
import { MAX_VIRTUAL_BOARDS, runHil } from './runner/run-hil.js';
import type { HilOptions } from './runner/run-hil.js';
import { createProgressPrinter } from './runner/progress-printer.js';
import { SCENARIOS, selectScenarios } from './scenarios/index.js';

export interface HilFlags {
  virtual?: string;
  hostFirmware?: string;
  boards?: string;
  arduinojson?: string;
  seed?: string;
  port: string[];
  worker: string[];
  scenario: string[];
  list?: boolean;
  proxy?: string;
  stratum?: string;
  proxyToken?: string;
  direct?: boolean;
  listen?: string;
  difficulty?: string;
  hashrate?: string;
  hashrateBand?: string;
  bootTimeout?: string;
  soak?: string;
  reset: boolean;
  junit?: string;
  json?: string;
  verbose?: boolean;
  quiet?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerHilCommand(program: Command): void {
  program
    .command('hil')
    .description(
      'hardware-in-the-loop suite: boards (real on USB serial, or --virtual N) mine through the proxy; each scenario checks the board console and its Stratum session',
    )
    .option('--virtual <n>', `N simulated NerdMiners on socat pseudo-terminals (1-${MAX_VIRTUAL_BOARDS})`)
    .option(
      '--host-firmware <dir>',
      "build this NerdMiner_v2 checkout's Stratum and mining code for this machine and run it as boards",
    )
    .option('--boards <n>', `with --host-firmware: instances to run (1-${MAX_VIRTUAL_BOARDS}, default 1)`)
    .option(
      '--arduinojson <dir>',
      "with --host-firmware: ArduinoJson's folder (default: the checkout's .pio/libdeps)",
    )
    .option(
      '--seed <n>',
      "with --host-firmware: seed of the firmware's rand() (default: 1 s reconnect waits)",
    )
    .option(
      '--port <path>',
      "a real board's serial port (repeatable; default: every ESP32 USB interface)",
      collect,
      [],
    )
    .option(
      '--worker <name>',
      'worker name the board authorizes with, in board order (repeatable)',
      collect,
      [],
    )
    .option('--scenario <names>', 'run only these scenarios (repeatable or comma-separated)', collect, [])
    .option('--list', 'list the scenarios and exit')
    .option('--proxy <url>', 'drive a running proxy through its HTTP API, http://HOST:PORT')
    .option('--stratum <url>', 'with --proxy: its Stratum URL (default: the --proxy host, port 3334)')
    .option('--proxy-token <token>', 'bearer token of that HTTP API (default $KAROO_HTTP_TOKEN)')
    .option('--direct', 'no proxy: boards mine straight to the pool simulator')
    .option('--listen <host:port>', "where the harness's proxy (or pool, with --direct) listens for boards")
    .option('--difficulty <d>', "pool simulator's share difficulty (default 2e-5 virtual, 1e-4 real)")
    .option('--hashrate <H/s>', 'virtual boards: hash rate cap (default 60000)')
    .option(
      '--hashrate-band <min:max>',
      'accepted hash rate, kH/s (default 40:450 real; virtual 5%-150% of the cap)',
    )
    .option('--boot-timeout <seconds>', 'reset to subscribed limit T (default 20 virtual, 90 real)')
    .option('--soak <seconds>', 'also run the soak scenario for this long')
    .option('--no-reset', 'never reset real boards (skips boots-and-connects)')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--json <file>', 'write a JSON report')
    .option('--verbose', 'print a line as each case starts')
    .option('--quiet', 'no live progress')
    .action(async (flags: HilFlags) => {
      if (flags.list === true) {
        for (const s of SCENARIOS) {
          process.stdout.write(
            `${s.name.padEnd(26)} ${s.title}${s.optional === true ? ' (optional)' : ''}\n`,
          );
        }
        return;
      }
      const options = hilOptionsFromFlags(flags, process.env);
      // A path that is not there is a typo or an unplugged board: say so before any bench starts.
      const missing = options.ports?.find((p) => !existsSync(p));
      if (missing !== undefined)
        throw new UsageError(`--port: no such serial port: ${missing} (is the board plugged in?)`);
      const controller = new AbortController();
      const interrupt = (): void => controller.abort();
      const logger = createLogger('hil', process.env.KAROO_LOG_LEVEL ?? 'error');
      // Every case's failure lands in its report; a stray rejection must not end the run before
      // the report is written (a CI job on a flaky hub still gets its JUnit file).
      const stray = (err: unknown): void => logger.error({ err }, 'unhandled rejection during the run');
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      process.on('unhandledRejection', stray);
      try {
        const result = await runHil({
          ...options,
          logger,
          signal: controller.signal,
          ...(flags.quiet !== true && {
            onProgress: createProgressPrinter(process.stdout, {
              color: process.stdout.isTTY === true,
              verbose: flags.verbose === true,
            }),
          }),
        });
        process.exitCode = controller.signal.aborted ? 130 : result.totals.failed > 0 ? 1 : 0;
      } catch (err) {
        // A taken port, a missing tool (socat, udevadm) or a file that cannot be read or written
        // is the machine's set-up, not the boards': one line naming it and exit status 2.
        const setup = setupProblem(err);
        if (!(err instanceof HilError) && setup === undefined) throw err;
        process.stderr.write(`karoo hil: ${(err as Error).message}\n`);
        if (err instanceof HostBuildError) {
          for (const line of err.excerpt) process.stderr.write(`  | ${line}\n`);
          if (err.logFile !== undefined)
            process.stderr.write(`  (the whole compiler output: ${err.logFile})\n`);
        }
        process.exitCode = setup === undefined ? 1 : 2;
      } finally {
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
        process.off('unhandledRejection', stray);
      }
      // Waits of an interrupted scenario may still hold timers; the run is over.
      if (controller.signal.aborted) process.exit(process.exitCode);
    });
}

/** Command-line strings to checked options; a UsageError names the flag. */
export function hilOptionsFromFlags(flags: HilFlags, env: NodeJS.ProcessEnv = {}): HilOptions {
  const options: HilOptions = { reset: flags.reset };
  if (flags.virtual !== undefined) {
    if (
      !/^\d+$/.test(flags.virtual) ||
      Number(flags.virtual) < 1 ||
      Number(flags.virtual) > MAX_VIRTUAL_BOARDS
    ) {
      throw new UsageError(
        `--virtual: expected a number of boards from 1 to ${MAX_VIRTUAL_BOARDS}, got ${flags.virtual}`,
      );
    }
    options.virtual = Number(flags.virtual);
    if (flags.port.length > 0) throw new UsageError('--virtual and --port cannot be mixed');
    if (flags.reset === false)
      throw new UsageError('--no-reset is for real boards (a virtual board is powered on by its reset)');
  }
  hostFirmwareFromFlags(flags, options, env);
  if (flags.port.some((p) => p.trim() === '')) throw new UsageError('--port: expected a serial port path');
  if (flags.port.length > 0) options.ports = flags.port;
  if (flags.worker.length > 0) {
    if (flags.worker.some((w) => !/^[^"\\\s]{1,128}$/.test(w))) {
      throw new UsageError('--worker: expected 1 to 128 characters without quotes, backslashes or spaces');
    }
    options.workers = flags.worker;
  }
  const names = flags.scenario
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  try {
    selectScenarios(names);
  } catch (err) {
    throw new UsageError(`--scenario: ${(err as Error).message}`);
  }
  if (names.length > 0) options.scenarios = names;

  if (flags.proxy !== undefined) {
    if (!/^https?:\/\/[^/\s]+\/?$/.test(flags.proxy)) {
      throw new UsageError(`--proxy: expected http://HOST:PORT, got ${flags.proxy}`);
    }
    if (flags.direct === true) throw new UsageError('--proxy and --direct cannot be mixed');
    if (flags.listen !== undefined || flags.difficulty !== undefined) {
      throw new UsageError(
        "--listen and --difficulty configure the harness's own pool and proxy, not one given with --proxy",
      );
    }
    options.proxyUrl = flags.proxy;
    const token = flags.proxyToken ?? env.KAROO_HTTP_TOKEN;
    if (token !== undefined && token !== '') options.proxyToken = token;
  } else if (flags.stratum !== undefined || flags.proxyToken !== undefined) {
    throw new UsageError('--stratum and --proxy-token go with --proxy');
  }
  if (flags.stratum !== undefined) {
    if (!/^stratum\+tcp:\/\/(\[[^\]]+\]|[^:/\s]+):\d{1,5}\/?$/.test(flags.stratum)) {
      throw new UsageError(`--stratum: expected stratum+tcp://HOST:PORT, got ${flags.stratum}`);
    }
    options.stratumUrl = flags.stratum;
  }
  if (flags.direct === true) options.direct = true;
  if (flags.listen !== undefined) {
    if (!/^(\[[^\]]+\]|[^:\s]*):\d{1,5}$/.test(flags.listen)) {
      throw new UsageError(`--listen: expected HOST:PORT, got ${flags.listen}`);
    }
    options.listen = flags.listen;
  }
  if (flags.difficulty !== undefined) options.difficulty = positive('--difficulty', flags.difficulty);
  if (flags.hashrate !== undefined) {
    if (options.virtual === undefined) throw new UsageError('--hashrate is for virtual boards');
    options.virtualHashrate = positive('--hashrate', flags.hashrate);
  }
  if (flags.hashrateBand !== undefined) {
    const m = /^([0-9.eE+-]+):([0-9.eE+-]+)$/.exec(flags.hashrateBand);
    const min = Number(m?.[1]);
    const max = Number(m?.[2]);
    if (m === null || !Number.isFinite(min) || !Number.isFinite(max) || min < 0 || max <= min) {
      throw new UsageError(
        `--hashrate-band: expected MIN:MAX in kH/s with MIN < MAX, got ${flags.hashrateBand}`,
      );
    }
    options.hashrateBandKhs = [min, max];
  }
  if (flags.bootTimeout !== undefined)
    options.bootTimeoutMs = positive('--boot-timeout', flags.bootTimeout) * 1000;
  if (flags.soak !== undefined) options.soakMs = positive('--soak', flags.soak) * 1000;
  if (flags.junit !== undefined) options.junit = flags.junit;
  if (flags.json !== undefined) options.json = flags.json;
  return options;
}

/** --host-firmware and the flags that go with it; a DIR that is not a NerdMiner checkout is bad input. */
function hostFirmwareFromFlags(flags: HilFlags, options: HilOptions, env: NodeJS.ProcessEnv): void {
  if (flags.hostFirmware === undefined) {
    for (const [flag, value] of [
      ['--boards', flags.boards],
      ['--arduinojson', flags.arduinojson],
      ['--seed', flags.seed],
    ] as const) {
      if (value !== undefined) throw new UsageError(`${flag} goes with --host-firmware`);
    }
    return;
  }
  if (flags.virtual !== undefined || flags.port.length > 0) {
    throw new UsageError('--host-firmware cannot be mixed with --virtual or --port');
  }
  if (flags.reset === false)
    throw new UsageError('--no-reset is for real boards (firmware on the host starts with a reset)');
  if (flags.hashrate !== undefined) throw new UsageError('--hashrate is for virtual boards');
  try {
    inspectCheckout(flags.hostFirmware);
  } catch (err) {
    if (err instanceof HostFirmwareError) throw new UsageError(err.message);
    throw err;
  }
  const boards = flags.boards === undefined ? 1 : Number(flags.boards);
  if (!/^\d+$/.test(flags.boards ?? '1') || boards < 1 || boards > MAX_VIRTUAL_BOARDS) {
    throw new UsageError(
      `--boards: expected a number of boards from 1 to ${MAX_VIRTUAL_BOARDS}, got ${flags.boards}`,
    );
  }
  if (
    flags.seed !== undefined &&
    (!/^\d{1,16}$/.test(flags.seed) || !Number.isSafeInteger(Number(flags.seed)))
  ) {
    throw new UsageError(`--seed: expected a whole number from 0 to 2^53-1, got ${flags.seed}`);
  }
  options.hostFirmware = {
    dir: flags.hostFirmware,
    boards,
    ...(flags.arduinojson !== undefined && { arduinoJson: flags.arduinojson }),
    ...(flags.seed !== undefined && { seed: Number(flags.seed) }),
    env,
  };
}

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${flag}: expected a number above 0, got ${text}`);
  }
  return n;
}
