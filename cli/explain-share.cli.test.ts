import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runKarooSync } from '../test-support/built-command.js';

/**
 * The built command, for what only it shows: its output streams, exit codes and flags. What it
 * computes and prints is proved in process (explain-share.test.ts).
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GENESIS = join(ROOT, 'fixtures/golden/genesis.json');

const karoo = (...args: string[]) => runKarooSync(['explain-share', ...args]);

describe('karoo explain-share (built CLI)', () => {
  it('prints the genesis share and its verdict on stdout, exit 0', () => {
    const r = karoo(GENESIS);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      'hash        000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f\n',
    );
    expect(r.stdout).toContain('verdict     accepted at difficulty 1 (share difficulty 2536.43)\n');
  });

  it('--json --difficulty: one JSON object judged against that difficulty', () => {
    const r = karoo(GENESIS, '--json', '--difficulty', '5000');
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect((JSON.parse(r.stdout) as { verdict: unknown }).verdict).toMatchObject({
      accepted: false,
      code: 23,
      reason: 'low-difficulty',
      against: 5000,
    });
  });

  it('a file it cannot read: one line on stderr naming it, exit 2, no stack trace', () => {
    const missing = join(ROOT, 'fixtures/golden/does-not-exist.json');
    const r = karoo(missing, '--json');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`karoo: ${missing}: cannot read (ENOENT)\n`);
  });
});
