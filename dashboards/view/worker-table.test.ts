import { describe, expect, it } from 'vitest';
import { T0, workerFixture } from '../../proxy/api/test-support/status-fixture.js';
import {
  COLUMNS,
  NAME_MAX_WIDTH,
  filterWorkers,
  fitColumns,
  formatRow,
  headerRow,
  sortWorkers,
  workerCells,
} from './worker-table.js';

const workers = [
  workerFixture('rack.nerd-01', {
    kind: 'nerdminer',
    hashrate: 300_000,
    accepted: 5,
    rejected: 2,
    last_share_at: T0 - 1000,
  }),
  workerFixture('rack.bitaxe-01', { kind: 'bitaxe', hashrate: 900_000, accepted: 50, last_share_at: null }),
  workerFixture('rack.cpu-01', { kind: 'cpuminer', hashrate: 300_000, accepted: 7, remote: '10.0.0.9:1' }),
];

describe('worker table', () => {
  it('fits the required columns in 78 characters (an 80-column terminal inside a border)', () => {
    const cols = fitColumns(78);
    expect(cols.map((c) => c.id)).toEqual([
      'name',
      'kind',
      'difficulty',
      'hashrate',
      'accepted',
      'rejected',
      'stale',
      'last',
      'p50',
      'p95',
      'spacing',
    ]);
    expect(headerRow(cols).length).toBeLessThanOrEqual(78);
    expect(cols[0]?.width).toBeGreaterThanOrEqual(14);
  });

  it('adds optional columns and widens the name on a wide terminal', () => {
    const cols = fitColumns(200);
    expect(cols.map((c) => c.id)).toEqual(COLUMNS.map((c) => c.id));
    expect(cols[0]?.width).toBe(NAME_MAX_WIDTH);
  });

  it('skips an optional column that does not fit but keeps a less important one that does', () => {
    const cols = fitColumns(118);
    expect(cols.slice(11).map((c) => c.id)).toEqual(['pool', 'fwd', 'dup']);
    expect(headerRow(cols).length).toBeLessThanOrEqual(118);
  });

  it('writes a row of fixed-width cells: names left, numbers right', () => {
    const cols = fitColumns(78);
    const row = formatRow(workerCells(workers[0]!, cols, T0), cols);
    expect(row.length).toBeLessThanOrEqual(78);
    expect(row).toMatch(/^rack\.nerd-01 +nerdminer +1e-3 +300k +5 +2 +0 +1s +12ms +40ms +8s$/);
    const header = headerRow(cols);
    // Every cell ends under the end of its title (right-aligned) or starts under it (left-aligned).
    expect(header.indexOf('acc') + 3).toBe(row.indexOf(' 5 ') + 2);
  });

  it('sorts numbers largest first, ties and names A-Z, unknown last, and reverses', () => {
    const names = (key: Parameters<typeof sortWorkers>[1], reverse = false): string[] =>
      sortWorkers(workers, key, reverse).map((w) => w.name);
    expect(names('name')).toEqual(['rack.bitaxe-01', 'rack.cpu-01', 'rack.nerd-01']);
    expect(names('hashrate')).toEqual(['rack.bitaxe-01', 'rack.cpu-01', 'rack.nerd-01']);
    expect(names('hashrate', true)).toEqual(['rack.cpu-01', 'rack.nerd-01', 'rack.bitaxe-01']);
    expect(names('last')).toEqual(['rack.nerd-01', 'rack.cpu-01', 'rack.bitaxe-01']);
    expect(names('last', true)).toEqual(['rack.cpu-01', 'rack.nerd-01', 'rack.bitaxe-01']);
    expect(names('rejected')[0]).toBe('rack.nerd-01');
    expect(names('name', true)).toEqual(['rack.nerd-01', 'rack.cpu-01', 'rack.bitaxe-01']);
  });

  it('filters on name, kind or address, ignoring case', () => {
    expect(filterWorkers(workers, 'NERD').map((w) => w.name)).toEqual(['rack.nerd-01']);
    expect(filterWorkers(workers, 'bitaxe').map((w) => w.name)).toEqual(['rack.bitaxe-01']);
    expect(filterWorkers(workers, '10.0.0.9').map((w) => w.name)).toEqual(['rack.cpu-01']);
    expect(filterWorkers(workers, '  ')).toHaveLength(3);
  });
});
