import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainShare } from './explain-share.js';
import { UsageError } from './usage-error.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GOLDEN_DIR = join(ROOT, 'fixtures/golden');
const MAIN = join(ROOT, 'dist/cli/main.js');
const GENESIS_HASH = '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f';

interface Golden {
  name: string;
  extranonce1: string;
  notify: unknown[];
  submit: unknown[];
  version_mask?: string;
  expected: { hash: string; merkle_root: string; header: string; difficulty: number };
}

const GOLDEN: [string, Golden][] = readdirSync(GOLDEN_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f, JSON.parse(readFileSync(join(GOLDEN_DIR, f), 'utf8')) as Golden]);

function golden(name: string): Golden {
  const g = GOLDEN.find(([, v]) => v.name === name)?.[1];
  if (g === undefined) throw new Error(`no golden vector ${name}`);
  return structuredClone(g);
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

describe('karoo explain-share (built CLI)', () => {
  let dir: string;

  /** True when dist/cli/main.js is missing or older than the sources the command runs. */

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'karoo-explain-'));
  });

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  function karoo(...args: string[]) {
    const r = spawnSync(process.execPath, [MAIN, 'explain-share', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  function file(name: string, content: string): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  it('prints the genesis header, merkle root, hash and difficulty', () => {
    const r = karoo(join(GOLDEN_DIR, 'genesis.json'));
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const g = golden('genesis');
    expect(r.stdout).toContain(`hash        ${GENESIS_HASH}\n`);
    expect(r.stdout).toContain(`header      ${g.expected.header}\n`);
    expect(r.stdout).toContain(`merkle root ${g.expected.merkle_root}\n`);
    expect(r.stdout).toMatch(/^difficulty {2}2536\.426298/m);
    expect(r.stdout).toContain('verdict     accepted at difficulty 1 (share difficulty 2536.43)\n');
  });

  it('--difficulty judges against that difficulty; a bad one is a usage error', () => {
    const path = join(GOLDEN_DIR, 'genesis.json');
    const low = karoo(path, '--difficulty', '5000');
    expect(low.status).toBe(0);
    expect(low.stdout).toMatch(/^verdict {5}rejected, error 23 \(low-difficulty\): Low difficulty share/m);
    const json = JSON.parse(karoo(path, '--json', '--difficulty', '5000').stdout) as {
      verdict: Record<string, unknown>;
    };
    expect(json.verdict).toMatchObject({
      accepted: false,
      code: 23,
      reason: 'low-difficulty',
      against: 5000,
    });
    const bad = karoo(path, '--difficulty', 'lots');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('karoo: --difficulty: expected a number above 0, got "lots"\n');
  });

  it.each(GOLDEN)('--json on %s prints exactly one JSON object: the share and its verdict', (file, g) => {
    const r = karoo(join(GOLDEN_DIR, file), '--json');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['header', 'merkle_root', 'hash', 'difficulty', 'verdict']);
    expect(out.verdict).toMatchObject({ accepted: true, against: 1 });
    expect(out.header).toBe(g.expected.header);
    expect(out.merkle_root).toBe(g.expected.merkle_root);
    expect(out.hash).toBe(g.expected.hash);
    expect(typeof out.difficulty).toBe('number');
    expect(Math.abs((out.difficulty as number) - g.expected.difficulty) / g.expected.difficulty).toBeLessThan(
      1e-12,
    );
  });

  it.each([
    [
      'a missing field',
      () => file('no-submit.json', JSON.stringify({ ...golden('genesis'), submit: undefined })),
      'submit',
    ],
    [
      'bad hex in submit[4]',
      () => file('bad-nonce.json', JSON.stringify(withSubmit(golden('genesis') as never, 4, 'zz'))),
      'submit[4] (nonce)',
    ],
    ['a file that is not JSON', () => file('not.json', 'not json\n{"id": 1,\n  oops\n'), 'not valid JSON'],
    ['a missing file', () => join(dir, 'does-not-exist.json'), 'cannot read (ENOENT)'],
  ])('%s: one line on stderr naming it, exit 2, no stack trace', (_what, makePath, text) => {
    const path = makePath();
    const r = karoo(path, '--json');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^karoo: /);
    expect(lines[0]).toContain(text);
    expect(r.stderr).not.toMatch(/^\s*at /m);
    expect(r.stderr).not.toContain('Error:');
  });

  it('names the file when it is unreadable or not JSON', () => {
    const path = file('garbage.json', '\u0000\u0001 binary\n');
    expect(karoo(path).stderr).toContain(path);
  });
});
