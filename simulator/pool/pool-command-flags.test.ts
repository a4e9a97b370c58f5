import { describe, expect, it } from 'vitest';
import { UsageError } from '../../runtime/usage-error.js';
import { optionsFromFlags } from './pool-command.js';

describe('karoo pool --profile and --network-difficulty', () => {
  it('take a profile (its defaults under the other flags) and a network difficulty', () => {
    const o = optionsFromFlags({
      listen: '127.0.0.1:0',
      profile: 'public-pool',
      networkDifficulty: '1e-9',
      difficulty: '0.001',
    });
    expect(o).toMatchObject({
      profile: 'public-pool',
      networkDifficulty: 1e-9,
      difficulty: 0.001,
      extranonce2Size: 4,
      jobIntervalSeconds: 60,
    });
    expect(o.nbits).toMatch(/^2[01][0-9a-f]{6}$/);
  });

  it('name the flag in one line when wrong', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ profile: 'slush' }, /^--profile: expected one of default, public-pool, ckpool, got "slush"$/],
      [{ networkDifficulty: 'lots' }, /^--network-difficulty: expected a number, got "lots"$/],
      [{ networkDifficulty: '-1' }, /^--network-difficulty: expected number to be >0/],
    ];
    for (const [flags, message] of cases) {
      const call = () => optionsFromFlags({ listen: '127.0.0.1:0', ...flags });
      expect(call).toThrow(UsageError);
      expect(call).toThrow(message);
    }
  });
});
