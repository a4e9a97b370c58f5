import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { difficultyFlag, explainShare, explanationText, readShareFile } from './explain-share.js';
import { UsageError } from '../runtime/usage-error.js';
import { GOLDEN_DIR, goldenVector, goldenVectors, type Golden } from '../test-support/golden-vectors.js';

const GENESIS_HASH = '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f';

const GOLDEN: [string, Golden][] = goldenVectors().map((v) => [v.file, v.golden]);

function golden(name: string): Golden {
  return goldenVector(name).golden;
}

function usageError(input: unknown): UsageError {
  try {
    explainShare(input);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('explainShare()', () => {
  it.each(GOLDEN)('%s: header, merkle root, hash and difficulty match the block', (_file, g) => {
    const e = explainShare(g);
    expect(e.header).toBe(g.expected.header);
    expect(e.merkle_root).toBe(g.expected.merkle_root);
    expect(e.hash).toBe(g.expected.hash);
    expect(Math.abs(e.difficulty - g.expected.difficulty) / g.expected.difficulty).toBeLessThan(1e-12);
    expect(e.version).toBe(g.expected.header.slice(0, 8).match(/../g)?.reverse().join(''));
    expect(e.coinbase.startsWith(String(g.notify[2]))).toBe(true);
  });

  it('genesis gives the genesis hash and difficulty 2536.43', () => {
    const e = explainShare(golden('genesis'));
    expect(e.hash).toBe(GENESIS_HASH);
    expect(e.difficulty).toBeCloseTo(2536.43, 2);
  });

  it('accepts upper-case hex and a short nonce the way the parser does', () => {
    const g = golden('block100000');
    g.submit[4] = String(g.submit[4]).toUpperCase();
    g.extranonce1 = g.extranonce1.toUpperCase();
    expect(explainShare(g).hash).toBe(g.expected.hash);
  });

  /** [what is wrong, how to break the input, text the one-line message must contain] */
  const broken: [string, (g: Record<string, unknown>) => unknown, string][] = [
    ['not an object', () => [1, 2], 'input: expected a JSON object'],
    ['missing extranonce1', (g) => ({ ...g, extranonce1: undefined }), 'extranonce1: expected hex string'],
    ['odd extranonce1', (g) => ({ ...g, extranonce1: 'abc' }), 'extranonce1'],
    ['missing notify', (g) => ({ ...g, notify: undefined }), 'notify: expected 9 params'],
    ['notify not an array', (g) => ({ ...g, notify: 'x' }), 'notify: expected an array'],
    ['missing submit', (g) => ({ ...g, submit: undefined }), 'submit: expected 5 or 6 params'],
    [
      'bad hex in submit[4]',
      (g) => withSubmit(g, 4, 'xyz'),
      'submit[4] (nonce): expected 1 to 8 hex characters',
    ],
    ['bad prevhash', (g) => withNotify(g, 1, '00'), 'notify[1] (prevhash): expected 64 hex characters'],
    ['job id mismatch', (g) => withSubmit(g, 1, 'other'), 'submit[1] (job id)'],
    [
      'bad version_mask',
      (g) => ({ ...g, version_mask: 'zz' }),
      'version_mask: expected 1 to 8 hex characters',
    ],
  ];

  it.each(broken)('%s: UsageError naming the field', (_what, breakIt, text) => {
    const err = usageError(breakIt(golden('genesis') as unknown as Record<string, unknown>));
    expect(err.message).toContain(text);
    expect(err.message).not.toContain('\n');
    expect(err.message).not.toMatch(/^Invalid params/);
    expect(err.exitCode).toBe(2);
  });

  it('says what a pool would answer: accepted at a difficulty the hash meets, 23 above it', () => {
    const g = golden('genesis');
    expect(explainShare(g).verdict).toMatchObject({ accepted: true, against: 1 });
    expect(explainShare(g, 2536).verdict.accepted).toBe(true);
    const low = explainShare(g, 2537).verdict;
    expect(low).toMatchObject({ accepted: false, code: 23, reason: 'low-difficulty', against: 2537 });
    expect(low.message).toContain('rejected, error 23 (low-difficulty)');
  });

  it('names the check that fails before the hash: ntime outside the window, extranonce2 size', () => {
    const g = golden('genesis');
    const late = withSubmit(g as never, 3, '495fc73f'); // job ntime + 7190 s
    expect(explainShare(late).verdict).toMatchObject({
      accepted: false,
      code: 20,
      reason: 'ntime-out-of-range',
    });
    const early = withSubmit(g as never, 3, '495fab28');
    expect(explainShare(early).verdict.reason).toBe('ntime-out-of-range');
    const sized = explainShare({ ...g, extranonce2_size: 8 }).verdict;
    expect(sized).toMatchObject({ accepted: false, code: 20, reason: 'extranonce2-size' });
    expect(sized.message).toContain('extranonce2 must be 8 bytes, got 4');
    expect(explainShare({ ...g, extranonce2_size: 4 }).verdict.accepted).toBe(true);
    expect(usageError({ ...g, extranonce2_size: 'four' }).message).toContain('extranonce2_size');
  });

  it('version bits without version_mask name submit[5] and version_mask', () => {
    const g = golden('block881423') as Partial<Golden>;
    delete g.version_mask;
    const err = usageError(g);
    expect(err.message).toContain('submit[5] (version bits)');
    expect(err.message).toContain('version_mask');
  });
});

function withSubmit(g: Record<string, unknown>, i: number, value: unknown): unknown {
  const submit = [...(g.submit as unknown[])];
  submit[i] = value;
  return { ...g, submit };
}

function withNotify(g: Record<string, unknown>, i: number, value: unknown): unknown {
  const notify = [...(g.notify as unknown[])];
  notify[i] = value;
  return { ...g, notify };
}

describe('what karoo explain-share prints', () => {
  it('the aligned text: header, version, merkle root, hash, difficulty and verdict', () => {
    const g = golden('genesis');
    expect(explanationText(explainShare(g), false)).toBe(
      [
        `header      ${g.expected.header}`,
        'version     00000001',
        `merkle root ${g.expected.merkle_root}`,
        `hash        ${GENESIS_HASH}`,
        'difficulty  2536.4262984453103',
        'verdict     accepted at difficulty 1 (share difficulty 2536.43)',
        '',
      ].join('\n'),
    );
  });

  it.each(GOLDEN)('--json on %s is exactly one JSON object: the share and its verdict', (file, g) => {
    const text = explanationText(explainShare(readShareFile(join(GOLDEN_DIR, file))), true);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    const out = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['header', 'merkle_root', 'hash', 'difficulty', 'verdict']);
    expect(out.verdict).toMatchObject({ accepted: true, against: 1 });
    expect(out.header).toBe(g.expected.header);
    expect(out.merkle_root).toBe(g.expected.merkle_root);
    expect(out.hash).toBe(g.expected.hash);
    expect(Math.abs((out.difficulty as number) - g.expected.difficulty) / g.expected.difficulty).toBeLessThan(
      1e-12,
    );
  });

  it('--difficulty takes a number above 0 and defaults to 1', () => {
    expect(difficultyFlag(undefined)).toBe(1);
    expect(difficultyFlag('0.5')).toBe(0.5);
    for (const bad of ['lots', '0', '-1', '', 'Infinity']) {
      expect(() => difficultyFlag(bad)).toThrow(
        new UsageError(`--difficulty: expected a number above 0, got ${JSON.stringify(bad)}`),
      );
    }
  });

  it('a file that cannot be read, or is not JSON, is one line naming it', () => {
    const missing = join(GOLDEN_DIR, 'does-not-exist.json');
    expect(() => readShareFile(missing)).toThrow(new UsageError(`${missing}: cannot read (ENOENT)`));
    const notJson = join(GOLDEN_DIR, 'README.md');
    let err: unknown;
    try {
      readShareFile(notJson);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toMatch(new RegExp(`^${notJson}: not valid JSON \\(`));
    expect((err as UsageError).message).not.toContain('\n');
  });
});
