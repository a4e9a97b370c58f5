import { describe, expect, it } from 'vitest';
import { describeAnswer, errorCodeOf, shapeOf } from './shape.js';

describe('shapeOf', () => {
  it.each([
    [true, 'true'],
    [false, 'false'],
    [null, 'null'],
    [0.00015, 'number'],
    ['pong', 'string'],
    [['a', 'b'], 'string[]'],
    [[], '[]'],
    [
      [
        [
          ['mining.set_difficulty', '1'],
          ['mining.notify', '1'],
        ],
        '0000',
        4,
      ],
      '[[string[],string[]],string,number]',
    ],
    [
      { 'version-rolling': true, 'version-rolling.mask': '1fffe000' },
      '{"version-rolling":true,"version-rolling.mask":string}',
    ],
  ])('%j -> %s', (value, shape) => {
    expect(shapeOf(value)).toBe(shape);
  });

  it('extranonce1, sizes and subscription ids may differ; the structure may not', () => {
    const pool = [
      [
        ['mining.set_difficulty', '00000001'],
        ['mining.notify', '00000001'],
      ],
      '00000000',
      8,
    ];
    const karoo = [
      [
        ['mining.set_difficulty', '1'],
        ['mining.notify', '1'],
      ],
      '0000000400000000',
      4,
    ];
    const notifyOnly = [[['mining.notify', '1']], '00', 4];
    expect(shapeOf(karoo)).toBe(shapeOf(pool));
    expect(shapeOf(notifyOnly)).not.toBe(shapeOf(pool));
    expect(shapeOf({ b: 1, a: 2 })).toBe(shapeOf({ a: 3, b: 4 }));
  });
});

describe('answers', () => {
  it('error codes from the usual wire forms', () => {
    expect(errorCodeOf({ id: 1, result: true, error: null })).toBeNull();
    expect(errorCodeOf({ id: 1, result: null, error: [23, 'Low difficulty share', null] })).toBe(23);
    expect(errorCodeOf({ id: 1, result: null, error: { code: -32601, message: 'x' } })).toBe(-32601);
    expect(describeAnswer({ id: 1, result: null, error: [22, 'Duplicate', null] })).toBe('error 22');
    expect(describeAnswer({ id: 1, result: true, error: null })).toBe('result true');
  });
});
