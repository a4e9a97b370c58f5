import { describe, expect, test } from 'vitest';
import { arduinoFloat, arduinoHex, counterHexLE, formatG, hex8 } from './c-format.js';

describe('formatG (printf %g)', () => {
  test.each([
    [0.00015, 10, '0.00015'],
    [0.0001, 10, '0.0001'],
    [1e-5, 10, '1e-05'],
    [0.000015258789, 10, '1.5258789e-05'],
    [1000, 10, '1000'],
    [1234567890123, 10, '1.23456789e+12'],
    [2, 6, '2'],
    [0.5, 6, '0.5'],
    [100000, 6, '100000'],
    [1000000, 6, '1e+06'],
    [0, 10, '0'],
  ])('%s with precision %s is %s', (value, precision, expected) => {
    expect(formatG(value, precision)).toBe(expected);
  });
});

describe('arduinoFloat (Print::printFloat)', () => {
  test.each([
    [0.00015, 12, '0.000150000000'],
    [0.00002, 12, '0.000020000000'],
    [1000, 12, '1000.000000000000'],
    [1.5, 2, '1.50'],
    [5e9, 2, 'ovf'],
  ])('%s with %s digits is %s', (value, digits, expected) => {
    expect(arduinoFloat(value, digits)).toBe(expected);
  });
});

describe('hex formats', () => {
  test('hex8 pads, arduinoHex does not', () => {
    expect(hex8(0x1a2b)).toBe('00001a2b');
    expect(arduinoHex(0x1a2b)).toBe('1a2b');
    expect(arduinoHex(0xda54e700)).toBe('da54e700');
  });

  test('counterHexLE writes the counter little-endian', () => {
    expect(counterHexLE(0n, 4)).toBe('00000000');
    expect(counterHexLE(1n, 4)).toBe('01000000');
    expect(counterHexLE(0x0102n, 8)).toBe('0201000000000000');
  });
});
