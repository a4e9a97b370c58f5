import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BAD_LINES } from '../proxy/core/index.js';
import type { RunningProxy } from '../proxy/run-proxy.js';
import type { PoolSimulator } from '../simulator/pool/index.js';
import { CLIENT_METHODS, SERVER_METHODS, StratumError, parseMessage } from '../stratum/index.js';
import { codeOf, connectClient } from '../simulator/pool/test-support/pool-harness.js';
import { proxyFixture } from '../proxy/test-support/proxy-fixture.js';

const fx = proxyFixture();

const SEED = 20251127;
/** Fewer lines than the proxy tolerates malformed, so a run is never cut short by that rule. */
const MAX_LINES = MAX_BAD_LINES - 1;

let pool: PoolSimulator;
let proxy: RunningProxy;

beforeAll(async () => {
  pool = await fx.pool();
  proxy = await fx.startProxy(pool.port, { vardiff: { enabled: false } });
});

afterAll(async () => {
  await proxy?.stop();
  await pool?.close();
});

/** Every method Karoo knows, one it does not, and one that is a trap for plain objects. */
const METHODS = [...CLIENT_METHODS, ...SERVER_METHODS, 'mining.frobnicate', '__proto__'];

const param = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom('w.1', '00000000', 'ffffffff', '1fffe000', 'version-rolling'),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** What a miner might send, good and bad, before its id is filled in. */
const lineSpec = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '\t').map((text) => ({ kind: 'raw' as const, text })) },
  {
    weight: 2,
    arbitrary: fc
      .string({ minLength: 1, maxLength: 40 })
      .map((t) => ({ kind: 'raw' as const, text: `#${t}` })),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.array(fc.integer(), { maxLength: 4 }), fc.integer(), fc.constant(null))
      .map((v) => ({ kind: 'raw' as const, text: JSON.stringify(v) })),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('request' as const),
      method: fc.constantFrom(...METHODS),
      params: fc.oneof(
        { weight: 5, arbitrary: fc.array(param, { maxLength: 6 }) },
        { weight: 1, arbitrary: param },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('response' as const), result: param, error: param }),
  },
);

interface Expected {
  /** Answers due per id (each line with an object gets its own id). */
  perId: Map<number, { answers: 0 | 1; code: number | null | 'any' }>;
  /** Answers due with id null (lines that are not JSON objects). */
  nullIdCodes: number[];
}

/** The parser decides what each line is; the session must then answer exactly once (or not at all). */
function expectedFor(lines: string[], ids: (number | null)[]): Expected {
  const perId = new Map<number, { answers: 0 | 1; code: number | null | 'any' }>();
  const nullIdCodes: number[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const id = ids[i] ?? null;
    try {
      const msg = parseMessage(line);
      if (id === null) throw new Error('every object line has an id');
      if (
        msg.type === 'response' ||
        (msg.type === 'request' && (msg.method === 'pong' || msg.method === 'mining.pong'))
      )
        perId.set(id, { answers: 0, code: null });
      else if (msg.type === 'unknown') perId.set(id, { answers: 1, code: -32601 });
      else perId.set(id, { answers: 1, code: 'any' });
    } catch (err) {
      if (!(err instanceof StratumError)) throw err;
      if (err.requestId === undefined || err.requestId === null) nullIdCodes.push(err.code);
      else perId.set(id as number, { answers: 1, code: err.code });
    }
  });
  return { perId, nullIdCodes };
}

describe('a real proxy session under random lines', () => {
  it('answers every line exactly once (or, for responses, pongs and blank lines, not at all), however it is chunked', async () => {
    let connection = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineSpec, { minLength: 1, maxLength: MAX_LINES }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (specs, cuts) => {
          const ids: (number | null)[] = [];
          const lines = specs.map((spec, i) => {
            if (spec.kind === 'raw') {
              ids.push(null);
              return spec.text;
            }
            const id = 1000 + i;
            ids.push(id);
            return spec.kind === 'request'
              ? JSON.stringify({ id, method: spec.method, params: spec.params })
              : JSON.stringify({ id, result: spec.result, error: spec.error });
          });
          const expected = expectedFor(lines, ids);
          connection += 1;
          const client = await connectClient(proxy.stratum.port, `127.0.0.${2 + (connection % 200)}`);
          try {
            const bytes = Buffer.from(lines.map((l) => `${l}\n`).join(''));
            const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
            let prev = 0;
            for (const p of [...points, bytes.length]) {
              if (p > prev) client.write(bytes.subarray(prev, p));
              prev = p;
            }
            const due =
              [...expected.perId.values()].filter((e) => e.answers === 1).length +
              expected.nullIdCodes.length;
            await client.answerCount(due);
            // A round trip after everything: any extra answer would be in by then.
            expect((await client.request('mining.ping', [], 'sentinel')).result).toBe('pong');
            for (const [id, e] of expected.perId) {
              const got = client.answersTo(id);
              expect(got, `answers to ${lines[id - 1000]}`).toHaveLength(e.answers);
              if (e.answers === 1 && e.code !== 'any') expect(codeOf(got[0] as never)).toBe(e.code);
            }
            const nullCodes = client.answersTo(null).map((a) => codeOf(a));
            expect(nullCodes.sort()).toEqual([...expected.nullIdCodes].sort());
            expect(client.answers()).toHaveLength(due + 1);
            expect(client.isClosed).toBe(false);
          } finally {
            await client.close();
          }
        },
      ),
      { seed: SEED, numRuns: 100 },
    );
  });
});
