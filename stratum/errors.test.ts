import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ERROR_TABLE,
  InvalidParamsError,
  StratumError,
  describe as describeValue,
  stratumErrorFromWire,
  type ErrorName,
} from './errors.js';
import { ExtranoncePrefixAllocator } from './extranonce-allocator.js';
import { encodeError } from './message-encoder.js';
import { parseMessage } from './message-parser.js';
import type { JobParams, SubmitParams } from './messages.js';
import { checkShare, SeenShares } from './share-check.js';
import { prepareJob } from './share-math.js';

const README = new URL('./README.md', import.meta.url);

function caught(fn: () => unknown): StratumError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StratumError);
    return err as StratumError;
  }
  throw new Error('expected a StratumError');
}

/** The genesis block as a job and its solving submit (fixtures/golden/genesis.json). */
function genesis(): { job: JobParams; submit: SubmitParams; extranonce1: string } {
  const g = JSON.parse(readFileSync(new URL('../fixtures/golden/genesis.json', import.meta.url), 'utf8'));
  const notify = parseMessage(JSON.stringify({ id: null, method: 'mining.notify', params: g.notify }));
  const submit = parseMessage(JSON.stringify({ id: 1, method: 'mining.submit', params: g.submit }));
  if (notify.type !== 'request' || notify.method !== 'mining.notify') throw new Error('bad fixture');
  if (submit.type !== 'request' || submit.method !== 'mining.submit') throw new Error('bad fixture');
  return { job: notify.params, submit: submit.params, extranonce1: g.extranonce1 };
}

function judge(difficulty: number, seen = new SeenShares(), known = true) {
  const g = genesis();
  return checkShare(g.submit, {
    job: known ? prepareJob(g.job) : undefined,
    extranonce1: g.extranonce1,
    extranonce2Size: 4,
    versionMask: 0,
    difficulty,
    seen,
  });
}

function verdictError(v: ReturnType<typeof judge>): StratumError {
  if (v.ok) throw new Error('expected a rejection');
  return v.error;
}

describe('ERROR_TABLE', () => {
  it('has exactly the Stratum share codes and the JSON-RPC codes, each once', () => {
    const codes = Object.values(ERROR_TABLE).map((e) => e.code);
    expect(codes.sort((a, b) => a - b)).toEqual([-32700, -32602, -32601, -32600, 20, 21, 22, 23, 24, 25]);
    expect(ERROR_TABLE).toMatchObject({
      OTHER: { code: 20 },
      JOB_NOT_FOUND: { code: 21 },
      DUPLICATE_SHARE: { code: 22 },
      LOW_DIFFICULTY: { code: 23 },
      UNAUTHORIZED: { code: 24 },
      NOT_SUBSCRIBED: { code: 25 },
      PARSE_ERROR: { code: -32700 },
      INVALID_REQUEST: { code: -32600 },
      METHOD_NOT_FOUND: { code: -32601 },
      INVALID_PARAMS: { code: -32602 },
    });
  });

  it('every code is documented in stratum/README.md under "Error codes" with its name and meaning', () => {
    const text = readFileSync(README, 'utf8');
    const start = text.indexOf('\n## Error codes\n');
    expect(start).toBeGreaterThanOrEqual(0);
    const end = text.indexOf('\n## ', start + 1);
    const section = text.slice(start, end === -1 ? undefined : end);
    // Table rows as trimmed cells: code | name | meaning | when.
    const rows = section
      .split('\n')
      .filter((l) => l.startsWith('|'))
      .map((l) =>
        l
          .split('|')
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    for (const [name, { code, message }] of Object.entries(ERROR_TABLE)) {
      const row = rows.find((r) => r[0] === String(code));
      expect(row, `README row for ${code}`).toBeDefined();
      expect(row?.[1]).toBe(`\`${name}\``);
      expect(row?.[2]).toBe(message);
      expect(row?.[3]?.length).toBeGreaterThan(10);
    }
    // ...and the README lists no code the table lacks.
    const documented = rows.map((r) => r[0] ?? '').filter((c) => /^-?\d+$/.test(c));
    expect(documented.map(Number).sort()).toEqual(
      Object.values(ERROR_TABLE)
        .map((e) => e.code)
        .sort(),
    );
  });
});

describe('every code is produced and goes on the wire as [code, message, null]', () => {
  const producers: Record<ErrorName, () => StratumError> = {
    OTHER: () => {
      const alloc = new ExtranoncePrefixAllocator(1);
      for (let i = 0; i < 256; i += 1) alloc.allocate();
      return caught(() => alloc.allocate());
    },
    JOB_NOT_FOUND: () => verdictError(judge(1, new SeenShares(), false)),
    DUPLICATE_SHARE: () => {
      const seen = new SeenShares();
      expect(judge(1, seen).ok).toBe(true);
      return verdictError(judge(1, seen));
    },
    LOW_DIFFICULTY: () => verdictError(judge(1e6)),
    // The proxy raises these two from session state the core does not hold.
    UNAUTHORIZED: () => new StratumError('UNAUTHORIZED', 'worker "x" is not authorized'),
    NOT_SUBSCRIBED: () => new StratumError('NOT_SUBSCRIBED'),
    PARSE_ERROR: () => caught(() => parseMessage('{"id": 1, "method": ')),
    INVALID_REQUEST: () => caught(() => parseMessage('[]')),
    METHOD_NOT_FOUND: () => {
      // The parser keeps unknown methods; the session answers them with -32601.
      const msg = parseMessage('{"id":8,"method":"mining.get_transactions","params":[]}');
      expect(msg.type).toBe('unknown');
      return new StratumError('METHOD_NOT_FOUND', msg.type === 'unknown' ? msg.method : '');
    },
    INVALID_PARAMS: () => caught(() => parseMessage('{"id":4,"method":"mining.submit","params":[]}')),
  };

  it.each(Object.keys(ERROR_TABLE) as ErrorName[])('%s', (name) => {
    const err = producers[name]();
    const { code, message } = ERROR_TABLE[name];
    expect(err.code).toBe(code);
    expect(err.errorName).toBe(name);
    expect(err.message.startsWith(message)).toBe(true);
    const line = encodeError(7, err);
    const reply = parseMessage(line);
    expect(reply).toEqual({ type: 'response', id: 7, result: null, error: [code, err.message, null] });
  });
});

describe('StratumError and InvalidParamsError', () => {
  it('appends a detail to the table message and keeps a cause', () => {
    const cause = new Error('root');
    const err = new StratumError('JOB_NOT_FOUND', 'job "9" is unknown', { cause });
    expect(err.message).toBe('Job not found (=stale): job "9" is unknown');
    expect(err.name).toBe('StratumError');
    expect(err.cause).toBe(cause);
    expect(err.requestId).toBeUndefined();
    expect(err.toWire()).toEqual([21, 'Job not found (=stale): job "9" is unknown', null]);
    expect(new StratumError('NOT_SUBSCRIBED').message).toBe('Not subscribed');
  });

  it('a verdict is the same error without a stack trace, and leaves the stack limit as it was', () => {
    const before = Error.stackTraceLimit;
    const v = StratumError.verdict('LOW_DIFFICULTY', 'share difficulty 1e-9 < 1');
    expect(v).toBeInstanceOf(StratumError);
    expect(v.toWire()).toEqual([23, 'Low difficulty share: share difficulty 1e-9 < 1', null]);
    expect(v.stack).toBe('StratumError: Low difficulty share: share difficulty 1e-9 < 1');
    expect(new StratumError('LOW_DIFFICULTY').stack).toMatch(/\n\s+at /);
    expect(Error.stackTraceLimit).toBe(before);
  });

  it('InvalidParamsError names the field, what was expected and what came', () => {
    const err = new InvalidParamsError('mining.submit params[4] (nonce)', '1 to 8 hex characters', 'xyz');
    expect(err).toBeInstanceOf(StratumError);
    expect(err.name).toBe('InvalidParamsError');
    expect(err.code).toBe(-32602);
    expect(err.field).toBe('mining.submit params[4] (nonce)');
    expect(err.message).toBe(
      'Invalid params: mining.submit params[4] (nonce): expected 1 to 8 hex characters, got "xyz"',
    );
  });

  it('describe() prints JSON, "nothing" for undefined, and cuts long values to 80 characters', () => {
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue(null)).toBe('null');
    expect(describeValue([1, 'a'])).toBe('[1,"a"]');
    const long = describeValue('x'.repeat(500));
    expect(long).toHaveLength(80);
    expect(long.endsWith('...')).toBe(true);
  });
});

describe('stratumErrorFromWire', () => {
  it('reads "no error" as null', () => {
    for (const wire of [null, undefined, false]) expect(stratumErrorFromWire(wire)).toBeNull();
  });

  it('reads the array form, the object form, and anything else as code 20', () => {
    expect(stratumErrorFromWire([23, 'Low difficulty share', null])).toEqual({
      code: 23,
      message: 'Low difficulty share',
    });
    expect(stratumErrorFromWire({ code: 21, message: 'Stale' })).toEqual({ code: 21, message: 'Stale' });
    expect(stratumErrorFromWire(['x'])).toEqual({ code: 20, message: '["x"]' });
    expect(stratumErrorFromWire({ reason: 'no' })).toEqual({ code: 20, message: '{"reason":"no"}' });
    expect(stratumErrorFromWire('banned')).toEqual({ code: 20, message: 'banned' });
  });
});
