/**
 * Named errors of the hardware-in-the-loop harness. Each has a stable `code` so a scenario
 * report can group failures without matching on message text.
 */
export type HilErrorCode =
  | 'INVALID_PORT_PATH'
  | 'BOARD_NOT_FOUND'
  | 'BOARD_REENUMERATION_TIMEOUT'
  | 'BOARD_RESET_TIMEOUT'
  | 'BOARD_GONE'
  | 'SERIAL_CONTROL_FAILED'
  | 'CONSOLE_WAIT_TIMEOUT'
  | 'PTY_PAIR_FAILED'
  | 'SCENARIO_ASSERTION'
  | 'SCENARIO_TIMEOUT'
  | 'SESSION_NOT_BOUND'
  | 'UNKNOWN_SCENARIO'
  | 'BENCH_FAILED'
  | 'HOST_FIRMWARE_INVALID'
  | 'HOST_BUILD_FAILED';

export class HilError extends Error {
  readonly code: HilErrorCode;

  constructor(code: HilErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HilError';
    this.code = code;
  }
}

/** A `--port` value that cannot name a serial device (empty, or not a string). */
export class InvalidPortPathError extends HilError {
  constructor(readonly path: unknown) {
    super('INVALID_PORT_PATH', `invalid serial port path: ${JSON.stringify(path)}`);
    this.name = 'InvalidPortPathError';
  }
}

/** No listed port carries the serial number (or path) a board was identified by. */
export class BoardNotFoundError extends HilError {
  constructor(readonly key: string) {
    super('BOARD_NOT_FOUND', `no serial port found for board ${key}`);
    this.name = 'BoardNotFoundError';
  }
}

/** After a reset the board did not come back on the USB bus (or could not be reopened) in time. */
export class BoardReenumerationTimeoutError extends HilError {
  constructor(
    readonly key: string,
    readonly timeoutMs: number,
    cause?: unknown,
  ) {
    super(
      'BOARD_REENUMERATION_TIMEOUT',
      `board ${key} did not re-enumerate within ${timeoutMs} ms`,
      cause === undefined ? undefined : { cause },
    );
    this.name = 'BoardReenumerationTimeoutError';
  }
}

/** A reset that never finished (a hung USB hub, a port that stopped answering). */
export class BoardResetTimeoutError extends HilError {
  constructor(
    readonly board: string,
    readonly timeoutMs: number,
  ) {
    super('BOARD_RESET_TIMEOUT', `reset of ${board} did not finish within ${timeoutMs} ms`);
    this.name = 'BoardResetTimeoutError';
  }
}

/** The board's serial port went away (unplugged, its pty closed): nothing more can be read from it. */
export class BoardGoneError extends HilError {
  constructor(
    readonly board: string,
    readonly reason: string,
  ) {
    super('BOARD_GONE', `board ${board} is gone: ${reason}`);
    this.name = 'BoardGoneError';
  }
}

/** Setting DTR/RTS (or closing the port) failed. */
export class SerialControlError extends HilError {
  constructor(
    readonly operation: string,
    cause: unknown,
  ) {
    super('SERIAL_CONTROL_FAILED', `serial ${operation} failed: ${describe(cause)}`, { cause });
    this.name = 'SerialControlError';
  }
}

/** A scenario waited for console output that did not arrive. */
export class ConsoleWaitTimeoutError extends HilError {
  constructor(
    readonly description: string,
    readonly timeoutMs: number,
  ) {
    super('CONSOLE_WAIT_TIMEOUT', `timed out after ${timeoutMs} ms waiting for ${description}`);
    this.name = 'ConsoleWaitTimeoutError';
  }
}

/** socat could not create the pseudo-terminal pair. */
export class PtyPairError extends HilError {
  constructor(message: string, cause?: unknown) {
    super('PTY_PAIR_FAILED', message, cause === undefined ? undefined : { cause });
    this.name = 'PtyPairError';
  }
}

/** A scenario's check on the board or its Stratum session did not hold. */
export class ScenarioAssertionError extends HilError {
  constructor(message: string) {
    super('SCENARIO_ASSERTION', message);
    this.name = 'ScenarioAssertionError';
  }
}

/** A scenario ran past its overall bound (each wait inside it has its own, more precise, bound). */
export class ScenarioTimeoutError extends HilError {
  constructor(
    readonly scenario: string,
    readonly timeoutMs: number,
  ) {
    super('SCENARIO_TIMEOUT', `scenario ${scenario} did not finish within ${timeoutMs} ms`);
    this.name = 'ScenarioTimeoutError';
  }
}

/** No Stratum session on the proxy (or pool) could be tied to the board. */
export class SessionNotBoundError extends HilError {
  constructor(
    readonly board: string,
    readonly timeoutMs: number,
    readonly why: string,
  ) {
    super('SESSION_NOT_BOUND', `no Stratum session tied to ${board} within ${timeoutMs} ms (${why})`);
    this.name = 'SessionNotBoundError';
  }
}

/** `--scenario` named a scenario that does not exist. */
export class UnknownScenarioError extends HilError {
  constructor(
    readonly scenario: string,
    readonly known: readonly string[],
  ) {
    super('UNKNOWN_SCENARIO', `unknown scenario ${JSON.stringify(scenario)} (known: ${known.join(', ')})`);
    this.name = 'UnknownScenarioError';
  }
}

/** The pool simulator or proxy could not be started, or a running proxy did not answer. */
export class BenchError extends HilError {
  constructor(message: string, cause?: unknown) {
    super('BENCH_FAILED', message, cause === undefined ? undefined : { cause });
    this.name = 'BenchError';
  }
}

/** `--host-firmware` cannot be built at all: not a NerdMiner checkout, no ArduinoJson, no compiler. */
export class HostFirmwareError extends HilError {
  constructor(message: string, cause?: unknown) {
    super('HOST_FIRMWARE_INVALID', message, cause === undefined ? undefined : { cause });
    this.name = 'HostFirmwareError';
  }
}

/**
 * The firmware did not compile or link against the host layer. `message` is one line naming the
 * firmware file and the symbol (or header) it needs; `excerpt` is the compiler's own output.
 */
export class HostBuildError extends HilError {
  constructor(
    message: string,
    /** The firmware (or host-layer) file being built, relative to its folder. */
    readonly file: string,
    /** The missing symbol, member or header, when the compiler named one. */
    readonly symbol: string | undefined,
    /** The compiler's lines around the first error, paths shortened. */
    readonly excerpt: readonly string[],
    /** The whole compiler output, in the build folder. */
    readonly logFile: string | undefined,
  ) {
    super('HOST_BUILD_FAILED', message);
    this.name = 'HostBuildError';
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
