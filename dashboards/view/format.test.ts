import { describe, expect, it } from 'vitest';
import {
  ago,
  formatAge,
  formatCount,
  formatDifficulty,
  formatDuration,
  formatHashrate,
  formatSi,
  padLeft,
  padRight,
  truncate,
} from './format.js';

describe('format', () => {
  it('writes SI numbers with 3 significant digits', () => {
    expect([0, 0.5, 999, 999.6, 1234, 45_600_000, 1.2e15].map(formatSi)).toEqual([
      '0',
      '0.5',
      '999',
      '1k',
      '1.23k',
      '45.6M',
      '1.2P',
    ]);
  });

  it('writes hashrates bare for the table and with a unit for panels', () => {
    expect(formatHashrate(60_123)).toBe('60.1k');
    expect(formatHashrate(60_123, true)).toBe('60.1 kH/s');
    expect(formatHashrate(512, true)).toBe('512 H/s');
    expect(formatHashrate(null)).toBe('-');
  });

  it('writes difficulties from a NerdMiner fraction to a pool target', () => {
    expect([1e-6, 0.00015, 0.012, 0.5, 512, 1024, 4.3e6, 0, null].map(formatDifficulty)).toEqual([
      '1e-6',
      '1.5e-4',
      '0.012',
      '0.5',
      '512',
      '1.02k',
      '4.3M',
      '0',
      '-',
    ]);
  });

  it('writes counts exactly up to 99999', () => {
    expect([0, 99_999, 123_456, 2_500_000].map(formatCount)).toEqual(['0', '99999', '123k', '2.5M']);
  });

  it('writes durations and ages in one short unit', () => {
    expect([0, 850, 4200, 12_000, 300_000, 3 * 3_600_000, 2 * 86_400_000, null].map(formatDuration)).toEqual([
      '0ms',
      '850ms',
      '4.2s',
      '12s',
      '5m',
      '3h',
      '2d',
      '-',
    ]);
    expect(formatAge(59_999)).toBe('59s');
    expect(formatAge(-5)).toBe('0s');
    expect(ago(1000, 61_000)).toBe('1m');
    expect(ago(null, 5)).toBe('-');
  });

  it('cuts and pads to an exact width', () => {
    expect(truncate('rack.bitaxe-01', 8)).toBe('rack.bi~');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abc', 0)).toBe('');
    expect(padRight('ab', 4)).toBe('ab  ');
    expect(padLeft('ab', 4)).toBe('  ab');
    expect(padLeft('abcdef', 4)).toBe('abc~');
  });
});
