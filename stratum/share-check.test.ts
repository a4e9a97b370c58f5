import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { meetsDifficulty } from './difficulty.js';
import { ERROR_TABLE } from './errors.js';
import { u32ToHex } from './hex.js';
import { encodeMessage, request } from './message-encoder.js';
import { parseMessage } from './message-parser.js';
import type { JobParams, SubmitParams } from './messages.js';
import { NTIME_MAX_AHEAD_SECONDS, SeenShares, checkShare, type ShareContext } from './share-check.js';
import { assembleShare, prepareJob, type PreparedJob } from './share-math.js';
import { VersionBitsOutsideMaskError } from './version-rolling.js';
import { goldenVector, type Golden } from '../test-support/golden-vectors.js';

function golden(name: string): { g: Golden; job: JobParams; submit: SubmitParams } {
  const v = goldenVector(name);
  return { g: v.golden, job: v.job, submit: v.submit };
}

/**
 * A share at difficulty 2^-20 takes about 2^32 * 2^-20 = 4096 hashes on average, so looping over
 * nonces with real sha256d finds one in milliseconds. (Difficulty 1e-3 would take ~4 million.)
 */
const EASY = 2 ** -20;
const { g: G, job: JOB } = golden('block100000');
const EXTRANONCE1 = G.extranonce1;
const EXTRANONCE2 = '00000000';

let prepared: PreparedJob;
/** The first nonce from 0 up that meets EASY, and one that does not. */
let good: SubmitParams;
let bad: SubmitParams;

function submitFor(nonce: number, extra: Partial<SubmitParams> = {}): SubmitParams {
  return {
    worker: 'rig.1',
    jobId: JOB.jobId,
    extranonce2: EXTRANONCE2,
    ntime: JOB.ntime,
    nonce: u32ToHex(nonce),
    ...extra,
  };
}

function findNonce(from: number, wanted: boolean): SubmitParams {
  for (let n = from; n < from + 1_000_000; n += 1) {
    const submit = submitFor(n);
    const share = assembleShare({ job: prepared, extranonce1: EXTRANONCE1, submit });
    if (meetsDifficulty(share.hash, EASY) === wanted) return submit;
  }
  throw new Error('no nonce found');
}

function ctx(overrides: Partial<ShareContext> = {}): ShareContext {
  return {
    job: prepared,
    extranonce1: EXTRANONCE1,
    extranonce2Size: 4,
    versionMask: 0,
    difficulty: EASY,
    seen: new SeenShares(),
    ...overrides,
  };
}

function rejected(verdict: ReturnType<typeof checkShare>, code: number): string {
  expect(verdict.ok).toBe(false);
  if (verdict.ok) return '';
  expect(verdict.error.code).toBe(code);
  return verdict.error.message;
}

beforeAll(() => {
  prepared = prepareJob(JOB);
  good = findNonce(0, true);
  bad = findNonce(0, false);
});

describe('checkShare: accepted', () => {
  it('accepts a share whose real sha256d meets the difficulty, and remembers it', () => {
    const seen = new SeenShares();
    const verdict = checkShare(good, ctx({ seen }));
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.share.difficulty).toBeGreaterThanOrEqual(EASY);
    expect(verdict.hashHex).toBe(verdict.share.hash.toString('hex'));
    expect(verdict.share.header.readUInt32LE(76)).toBe(Number.parseInt(good.nonce, 16));
    expect(seen.size).toBe(1);
    expect(seen.has(JOB.jobId, verdict.hashHex)).toBe(true);
  });

  it('accepts two different shares for the same job', () => {
    const seen = new SeenShares();
    const second = findNonce(Number.parseInt(good.nonce, 16) + 1, true);
    expect(checkShare(good, ctx({ seen })).ok).toBe(true);
    expect(checkShare(second, ctx({ seen })).ok).toBe(true);
    expect(seen.size).toBe(2);
  });

  it('accepts the golden blocks at pool difficulties up to their own', () => {
    const genesis = golden('genesis');
    const base = { extranonce1: genesis.g.extranonce1, extranonce2Size: 4, versionMask: 0 };
    const job = prepareJob(genesis.job);
    expect(checkShare(genesis.submit, { ...base, job, difficulty: 2536, seen: new SeenShares() }).ok).toBe(
      true,
    );
    rejected(checkShare(genesis.submit, { ...base, job, difficulty: 2537, seen: new SeenShares() }), 23);

    const rolled = golden('block881423');
    const verdict = checkShare(rolled.submit, {
      job: prepareJob(rolled.job),
      extranonce1: rolled.g.extranonce1,
      extranonce2Size: 4,
      versionMask: Number.parseInt(rolled.g.version_mask ?? '0', 16),
      difficulty: 1e14,
      seen: new SeenShares(),
    });
    expect(verdict.ok).toBe(true);
  });
});

describe('checkShare: each rejection', () => {
  it('21 when the job is unknown or stale, naming the job', () => {
    const message = rejected(checkShare(good, ctx({ job: undefined })), 21);
    expect(message).toContain(`"${JOB.jobId}"`);
  });

  it('20 when extranonce2 is not the session size', () => {
    const message = rejected(checkShare({ ...good, extranonce2: '000000' }, ctx()), 20);
    expect(message).toContain('extranonce2 must be 4 bytes, got 3');
    rejected(checkShare({ ...good, extranonce2: '0000000000' }, ctx()), 20);
  });

  it('20 when ntime is below the job ntime or more than 7000 s above it', () => {
    const jobTime = Number.parseInt(JOB.ntime, 16);
    expect(NTIME_MAX_AHEAD_SECONDS).toBe(7000);
    const below = rejected(checkShare({ ...good, ntime: u32ToHex(jobTime - 1) }, ctx()), 20);
    expect(below).toContain('ntime');
    const above = rejected(checkShare({ ...good, ntime: u32ToHex(jobTime + 7001) }, ctx()), 20);
    expect(above).toContain('ntime');
    // The window's ends are inside it: such shares get past the ntime check to the hash check.
    for (const t of [jobTime, jobTime + 7000]) {
      const verdict = checkShare({ ...good, ntime: u32ToHex(t) }, ctx({ difficulty: 1e9 }));
      rejected(verdict, 23);
    }
  });

  it('20 when version bits fall outside the negotiated mask, or none was negotiated', () => {
    for (const [bits, mask] of [
      ['e0000000', 0x1fffe000],
      ['00002000', 0],
    ] as const) {
      const verdict = checkShare({ ...good, versionBits: bits }, ctx({ versionMask: mask }));
      rejected(verdict, 20);
      if (!verdict.ok) expect(verdict.error).toBeInstanceOf(VersionBitsOutsideMaskError);
    }
    // Bits inside the mask are fine (they change the header, so this is judged on its hash).
    const inside = checkShare(
      { ...good, versionBits: '00002000' },
      ctx({ versionMask: 0x1fffe000, difficulty: 1e9 }),
    );
    rejected(inside, 23);
  });

  it('22 for the same share again', () => {
    const seen = new SeenShares();
    expect(checkShare(good, ctx({ seen })).ok).toBe(true);
    const verdict = checkShare(good, ctx({ seen }));
    rejected(verdict, ERROR_TABLE.DUPLICATE_SHARE.code);
    expect(verdict.hashHex).toBeDefined();
    expect(seen.size).toBe(1);
  });

  it('22 when the resubmit changes hex case or drops the nonce padding', () => {
    const nonce = Number.parseInt(good.nonce, 16);
    expect(nonce).toBeLessThan(0x10000000); // found counting from 0, so its hex has leading zeros
    const seen = new SeenShares();
    expect(checkShare(good, ctx({ seen })).ok).toBe(true);
    const variants = [
      { ...good, nonce: nonce.toString(16) }, // NerdMiner: String(nonce, HEX)
      { ...good, nonce: good.nonce.toUpperCase(), ntime: good.ntime.toUpperCase() },
      { ...good, nonce: nonce.toString(16).toUpperCase(), extranonce2: good.extranonce2.toUpperCase() },
    ];
    for (const variant of variants) {
      // Through the wire, as the proxy sees it: the parser normalises, the header hash is the same.
      const line = JSON.stringify({
        id: 9,
        method: 'mining.submit',
        params: [variant.worker, variant.jobId, variant.extranonce2, variant.ntime, variant.nonce],
      });
      expect(line).not.toBe(encodeMessage(request('mining.submit', good, 9)));
      const msg = parseMessage(line);
      if (msg.type !== 'request' || msg.method !== 'mining.submit') throw new Error('not a submit');
      rejected(checkShare(msg.params, ctx({ seen })), 22);
    }
  });

  it('23 when the hash is above the target, and the low share is not remembered', () => {
    const seen = new SeenShares();
    const verdict = checkShare(bad, ctx({ seen }));
    const message = rejected(verdict, 23);
    expect(message).toContain('below');
    expect(verdict.ok === false && verdict.share !== undefined).toBe(true);
    expect(seen.size).toBe(0);
    // A share that met a lower difficulty is low at a higher one, and then fine when it drops again.
    const share = assembleShare({ job: prepared, extranonce1: EXTRANONCE1, submit: good });
    rejected(checkShare(good, ctx({ seen, difficulty: share.difficulty * 2 })), 23);
    expect(checkShare(good, ctx({ seen, difficulty: share.difficulty / 2 })).ok).toBe(true);
  });

  it('judges cheap checks first: unknown job before extranonce2, extranonce2 before ntime, ntime before hash', () => {
    const broken = { ...bad, extranonce2: '00', ntime: '00000000' };
    rejected(checkShare(broken, ctx({ job: undefined })), 21);
    expect(rejected(checkShare(broken, ctx()), 20)).toContain('extranonce2');
    expect(rejected(checkShare({ ...bad, ntime: '00000000' }, ctx()), 20)).toContain('ntime');
  });

  it('gives every verdict a wire error in the error table', () => {
    const codes = new Set<number>(Object.values(ERROR_TABLE).map((e) => e.code));
    for (const v of [checkShare(bad, ctx()), checkShare(good, ctx({ job: undefined }))]) {
      if (!v.ok) {
        expect(codes.has(v.error.code)).toBe(true);
        expect(v.error.toWire()).toEqual([v.error.code, v.error.message, null]);
      }
    }
  });
});

describe('SeenShares', () => {
  it('drops the oldest job first when maxEntries is reached', () => {
    const seen = new SeenShares(3);
    seen.add('a', 'h1');
    seen.add('a', 'h2');
    seen.add('b', 'h3');
    expect(seen.size).toBe(3);
    seen.add('c', 'h4');
    expect(seen.has('a', 'h1')).toBe(false);
    expect(seen.has('a', 'h2')).toBe(false);
    expect(seen.has('b', 'h3')).toBe(true);
    expect(seen.has('c', 'h4')).toBe(true);
    expect(seen.size).toBe(2);
  });

  it('counts a repeated add once, keys hashes by job, and frees a forgotten job', () => {
    const seen = new SeenShares(10);
    seen.add('a', 'h1');
    seen.add('a', 'h1');
    expect(seen.size).toBe(1);
    expect(seen.has('b', 'h1')).toBe(false);
    seen.add('b', 'h1');
    seen.forgetJob('a');
    seen.forgetJob('never-seen');
    expect(seen.size).toBe(1);
    expect(seen.has('a', 'h1')).toBe(false);
    expect(seen.has('b', 'h1')).toBe(true);
  });

  it('never holds more than maxEntries, whatever is added (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.tuple(fc.constantFrom('j1', 'j2', 'j3', 'j4'), fc.nat({ max: 50 })), { maxLength: 200 }),
        (max, adds) => {
          const seen = new SeenShares(max);
          for (const [job, h] of adds) {
            seen.add(job, String(h));
            expect(seen.size).toBeLessThanOrEqual(max);
            expect(seen.has(job, String(h))).toBe(true);
          }
        },
      ),
    );
  });

  it('a share evicted from memory is no longer a duplicate (the bound is on memory, by design)', () => {
    const seen = new SeenShares(1);
    expect(checkShare(good, ctx({ seen })).ok).toBe(true);
    seen.add('other-job', 'ff'.repeat(32));
    expect(checkShare(good, ctx({ seen })).ok).toBe(true);
  });
});
