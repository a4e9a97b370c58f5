import { InvalidParamsError, StratumError } from './errors.js';
import { byteHex, exactHex, paddedHex } from './hex.js';
import type {
  JobParams,
  JsonValue,
  KnownRequest,
  Method,
  RpcId,
  StratumMessage,
  SubmitParams,
} from './messages.js';

/** Longest extranonce2 a miner may send (16 bytes); real pools use 2 to 8. */
export const MAX_EXTRANONCE2_HEX = 32;
const MAX_NAME = 256;

type ParamDecoder = (params: JsonValue[], method: string) => KnownRequest['params'];

/**
 * Decodes one line of JSON into a typed message. Throws a StratumError carrying the request's id
 * (in `requestId`) when the line is not JSON (-32700), not a JSON-RPC object (-32600), or its
 * params are not what the method needs (-32602, naming the field).
 */
export function parseMessage(line: string): StratumMessage {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (cause) {
    throw new StratumError('PARSE_ERROR', 'line is not valid JSON', { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StratumError('INVALID_REQUEST', 'expected a JSON object');
  }
  const obj = value as { [key: string]: JsonValue };
  const id: RpcId = obj.id === undefined ? null : obj.id;
  const method = obj.method;
  if (method === undefined || method === null) {
    if (!('result' in obj) && !('error' in obj)) {
      throw withId(
        new StratumError('INVALID_REQUEST', 'expected "method", or "result"/"error" in a response'),
        id,
      );
    }
    return { type: 'response', id, result: obj.result ?? null, error: obj.error ?? null };
  }
  if (typeof method !== 'string') {
    throw withId(
      new StratumError('INVALID_REQUEST', `"method" must be a string, got ${JSON.stringify(method)}`),
      id,
    );
  }
  const rawParams = obj.params === undefined || obj.params === null ? [] : obj.params;
  const decoder = Object.hasOwn(DECODERS, method) ? DECODERS[method as Method] : undefined;
  if (decoder === undefined) return { type: 'unknown', id, method, params: rawParams };
  if (!Array.isArray(rawParams)) {
    throw withId(new InvalidParamsError(`${method} params`, 'an array', rawParams), id);
  }
  try {
    return { type: 'request', id, method, params: decoder(rawParams, method) } as KnownRequest;
  } catch (err) {
    throw withId(err, id);
  }
}

function withId(err: unknown, id: RpcId): unknown {
  if (err instanceof StratumError) err.requestId = id;
  return err;
}

const none: ParamDecoder = () => ({});

const DECODERS: Record<Method, ParamDecoder> = {
  'mining.subscribe': (p, m) => {
    const out: { userAgent?: string; sessionId?: string } = {};
    const ua = optionalString(p[0], `${m} params[0] (user agent)`);
    const session = optionalString(p[1], `${m} params[1] (session id)`);
    if (ua !== undefined) out.userAgent = ua;
    if (session !== undefined) out.sessionId = session;
    return out;
  },
  'mining.authorize': (p, m) => {
    const user = requiredString(p[0], `${m} params[0] (user)`);
    const password = optionalString(p[1], `${m} params[1] (password)`);
    return password === undefined ? { user } : { user, password };
  },
  'mining.submit': (p, m) => decodeSubmit(p, m),
  'mining.configure': (p, m) => {
    const extensions = p[0];
    if (!Array.isArray(extensions) || !extensions.every((e) => typeof e === 'string')) {
      throw new InvalidParamsError(`${m} params[0] (extensions)`, 'an array of strings', extensions);
    }
    const options = p[1] === undefined || p[1] === null ? {} : p[1];
    if (typeof options !== 'object' || Array.isArray(options)) {
      throw new InvalidParamsError(`${m} params[1] (extension parameters)`, 'an object', options);
    }
    return { extensions: extensions as string[], options };
  },
  'mining.suggest_difficulty': (p, m) => ({
    difficulty: positiveNumber(p[0], `${m} params[0] (difficulty)`),
  }),
  'mining.extranonce.subscribe': none,
  'mining.ping': none,
  'mining.pong': none,
  pong: none,
  'mining.notify': (p, m) => decodeNotify(p, m),
  'mining.set_difficulty': (p, m) => ({ difficulty: positiveNumber(p[0], `${m} params[0] (difficulty)`) }),
  'mining.set_extranonce': (p, m) => {
    const extranonce1 = byteHex(p[0], `${m} params[0] (extranonce1)`, 64);
    const size = p[1];
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 16) {
      throw new InvalidParamsError(`${m} params[1] (extranonce2 size)`, 'an integer from 1 to 16', size);
    }
    return { extranonce1, extranonce2Size: size };
  },
  'mining.set_version_mask': (p, m) => ({ mask: paddedHex(p[0], 8, `${m} params[0] (mask)`) }),
  'client.reconnect': (p, m) => {
    const out: { host?: string; port?: number; waitSeconds?: number } = {};
    const host = optionalString(p[0], `${m} params[0] (host)`);
    if (host !== undefined && host !== '') out.host = host;
    const port = p[1] === undefined || p[1] === null || p[1] === '' ? undefined : Number(p[1]);
    if (port !== undefined) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new InvalidParamsError(`${m} params[1] (port)`, 'a port number from 1 to 65535', p[1]);
      }
      out.port = port;
    }
    if (p[2] !== undefined && p[2] !== null) {
      if (typeof p[2] !== 'number' || !(p[2] >= 0)) {
        throw new InvalidParamsError(`${m} params[2] (wait seconds)`, 'a number of seconds >= 0', p[2]);
      }
      out.waitSeconds = p[2];
    }
    return out;
  },
  'client.show_message': (p, m) => ({ message: requiredString(p[0], `${m} params[0] (message)`, 4096) }),
  'client.get_version': none,
};

function decodeSubmit(p: JsonValue[], m: string): SubmitParams {
  if (p.length !== 5 && p.length !== 6) {
    throw new InvalidParamsError(`${m} params`, '5 or 6 params', p.length);
  }
  const out: SubmitParams = {
    worker: requiredString(p[0], `${m} params[0] (worker)`),
    jobId: requiredString(p[1], `${m} params[1] (job id)`),
    extranonce2: byteHex(p[2], `${m} params[2] (extranonce2)`, MAX_EXTRANONCE2_HEX),
    ntime: paddedHex(p[3], 8, `${m} params[3] (ntime)`),
    nonce: paddedHex(p[4], 8, `${m} params[4] (nonce)`),
  };
  if (out.extranonce2.length === 0)
    throw new InvalidParamsError(`${m} params[2] (extranonce2)`, 'hex bytes', '');
  if (p.length === 6) out.versionBits = paddedHex(p[5], 8, `${m} params[5] (version bits)`);
  return out;
}

function decodeNotify(p: JsonValue[], m: string): JobParams {
  if (p.length < 9) throw new InvalidParamsError(`${m} params`, '9 params', p.length);
  const branches = p[4];
  if (!Array.isArray(branches)) {
    throw new InvalidParamsError(`${m} params[4] (merkle branches)`, 'an array of 64-hex hashes', branches);
  }
  const clean = p[8];
  if (typeof clean !== 'boolean')
    throw new InvalidParamsError(`${m} params[8] (clean_jobs)`, 'true or false', clean);
  return {
    jobId: requiredString(p[0], `${m} params[0] (job id)`),
    prevhash: exactHex(p[1], 64, `${m} params[1] (prevhash)`),
    coinb1: byteHex(p[2], `${m} params[2] (coinb1)`),
    coinb2: byteHex(p[3], `${m} params[3] (coinb2)`),
    merkleBranches: branches.map((b, i) => exactHex(b, 64, `${m} params[4][${i}] (merkle branch)`)),
    version: exactHex(p[5], 8, `${m} params[5] (version)`),
    nbits: exactHex(p[6], 8, `${m} params[6] (nbits)`),
    ntime: exactHex(p[7], 8, `${m} params[7] (ntime)`),
    cleanJobs: clean,
  };
}

function requiredString(value: JsonValue | undefined, field: string, max = MAX_NAME): string {
  if (typeof value !== 'string' || value.length > max) {
    throw new InvalidParamsError(field, `a string of at most ${max} characters`, value);
  }
  return value;
}

function optionalString(value: JsonValue | undefined, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  return requiredString(value, field);
}

/** Accepts numbers and numeric strings ("0.001"), as some firmware sends either. */
function positiveNumber(value: JsonValue | undefined, field: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) {
    throw new InvalidParamsError(field, 'a finite number above 0', value);
  }
  return n;
}
