import type { RpcId } from './messages.js';

/**
 * The one table of error codes Karoo puts on the wire.
 *
 * Stratum V1 share codes (20..25) follow the convention used by ckpool, public-pool and the
 * original slush pool: `error: [code, message, null]`. The negative codes are JSON-RPC 2.0's
 * (https://www.jsonrpc.org/specification#error_object) for requests that are not Stratum at all.
 */
export const ERROR_TABLE = {
  OTHER: { code: 20, message: 'Other/Unknown' },
  JOB_NOT_FOUND: { code: 21, message: 'Job not found (=stale)' },
  DUPLICATE_SHARE: { code: 22, message: 'Duplicate share' },
  LOW_DIFFICULTY: { code: 23, message: 'Low difficulty share' },
  UNAUTHORIZED: { code: 24, message: 'Unauthorized worker' },
  NOT_SUBSCRIBED: { code: 25, message: 'Not subscribed' },
  PARSE_ERROR: { code: -32700, message: 'Parse error' },
  INVALID_REQUEST: { code: -32600, message: 'Invalid request' },
  METHOD_NOT_FOUND: { code: -32601, message: 'Method not found' },
  INVALID_PARAMS: { code: -32602, message: 'Invalid params' },
} as const;

export type ErrorName = keyof typeof ERROR_TABLE;
export type ErrorCode = (typeof ERROR_TABLE)[ErrorName]['code'];

/** The wire form of a Stratum error: `[code, message, traceback]`. */
export type WireError = [number, string, null];

/** Every error the protocol core raises: a stable name from the table and a numeric wire code. */
export class StratumError extends Error {
  readonly code: ErrorCode;
  readonly errorName: ErrorName;
  /** The id of the request this error answers, when the parser got that far. */
  requestId: RpcId | undefined;

  constructor(errorName: ErrorName, detail?: string, options?: { cause?: unknown }) {
    const base = ERROR_TABLE[errorName].message;
    super(detail ? `${base}: ${detail}` : base, options);
    this.name = 'StratumError';
    this.errorName = errorName;
    this.code = ERROR_TABLE[errorName].code;
  }

  /**
   * A share's verdict (low difficulty, stale, duplicate...): an answer, not a fault, so no stack
   * trace is captured. A refused share then costs what an accepted one does; the stack capture
   * was an eighth of the CPU of a refused submit.
   */
  static verdict(errorName: ErrorName, detail?: string): StratumError {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return new StratumError(errorName, detail);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  toWire(): WireError {
    return [this.code, this.message, null];
  }
}

/** A request whose params do not have the shape its method needs; `field` names the culprit. */
export class InvalidParamsError extends StratumError {
  readonly field: string;
  constructor(field: string, expected: string, got: unknown) {
    super('INVALID_PARAMS', `${field}: expected ${expected}, got ${describe(got)}`);
    this.name = 'InvalidParamsError';
    this.field = field;
  }
}

export function stratumErrorFromWire(wire: unknown): { code: number; message: string } | null {
  if (wire === null || wire === undefined || wire === false) return null;
  if (Array.isArray(wire)) {
    const code = typeof wire[0] === 'number' ? wire[0] : ERROR_TABLE.OTHER.code;
    const message = typeof wire[1] === 'string' ? wire[1] : JSON.stringify(wire);
    return { code, message };
  }
  if (typeof wire === 'object') {
    const o = wire as Record<string, unknown>;
    const code = typeof o.code === 'number' ? o.code : ERROR_TABLE.OTHER.code;
    const message = typeof o.message === 'string' ? o.message : JSON.stringify(wire);
    return { code, message };
  }
  return { code: ERROR_TABLE.OTHER.code, message: String(wire) };
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
