import { describe, expect, it } from 'vitest';
import {
  BenchUsageError,
  FULL_PLAN,
  QUICK_PLAN,
  SMOKE_PLAN,
  SUITES,
  parseBenchArgs,
} from './bench-options.js';

describe('bench command line', () => {
  it('runs every suite at full size by default, and at quick size with --quick', () => {
    expect(parseBenchArgs([])).toMatchObject({
      mode: 'full',
      suites: [...SUITES],
      latency: FULL_PLAN.latency,
    });
    expect(parseBenchArgs(['--quick'])).toMatchObject({ mode: 'quick', connections: QUICK_PLAN.connections });
    expect(parseBenchArgs(['--smoke'])).toMatchObject({ mode: 'smoke', shareRate: SMOKE_PLAN.shareRate });
  });

  it('keeps --quick small: a few thousand sessions and seconds of load, bounded by a deadline', () => {
    expect(QUICK_PLAN.connections.sessions).toBeLessThanOrEqual(5000);
    expect(QUICK_PLAN.deadlineMs).toBeLessThanOrEqual(120_000);
    expect(FULL_PLAN.connections.sessions).toBe(100_000);
  });

  it('selects suites with --only and sessions with --sessions', () => {
    const plan = parseBenchArgs([
      '--quick',
      '--only',
      'latency, connections',
      '--sessions',
      '500',
      '--out',
      '/tmp/x',
    ]);
    expect(plan.suites).toEqual(['latency', 'connections']);
    expect(plan.connections.sessions).toBe(500);
    expect(plan.outDir).toBe('/tmp/x');
    expect(plan.connections.heapBreakdown).toBeUndefined();
    expect(parseBenchArgs(['--heap']).connections.heapBreakdown).toBe(true);
    expect(plan.connections.workers).toBeUndefined();
    expect(parseBenchArgs(['--workers', '6']).connections.workers).toBe(6);
    expect(QUICK_PLAN.connections.sessions).toBe(2000);
  });

  it('refuses unknown flags and suites, bad session counts, and --quick with --smoke', () => {
    for (const args of [
      ['--fast'],
      ['--only', 'latency,throughput'],
      ['--sessions', '0'],
      ['--sessions', '1.5'],
      ['--sessions', 'many'],
      ['--quick', '--smoke'],
      ['--workers', '0'],
      ['--workers', '65'],
      // A heap snapshot is of one process.
      ['--workers', '2', '--heap'],
    ]) {
      expect(() => parseBenchArgs(args), args.join(' ')).toThrow(BenchUsageError);
    }
  });
});
