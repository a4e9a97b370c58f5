import { describe, expect, it } from 'vitest';
import { difficultyFor, passwordDifficulty } from './start-difficulty.js';

describe('passwordDifficulty', () => {
  it('reads d=N alone or among options', () => {
    expect(passwordDifficulty('d=0.001')).toBe(0.001);
    expect(passwordDifficulty('x,d=2048')).toBe(2048);
    expect(passwordDifficulty('x;d=1e-4;y=2')).toBe(0.0001);
    expect(passwordDifficulty('D=.5')).toBe(0.5);
  });

  it('ignores anything else', () => {
    for (const p of [undefined, '', 'x', 'd=', 'd=0', 'd=-1', 'd=abc', 'md=5', 'd=5x'])
      expect(passwordDifficulty(p), String(p)).toBeUndefined();
  });
});

describe('difficultyFor', () => {
  it('is one share per target period at that rate, to 3 digits', () => {
    expect(difficultyFor(300e3, 10)).toBe(0.000698);
    expect(difficultyFor(500e9, 10)).toBe(1160);
  });
});
