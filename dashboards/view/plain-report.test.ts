import { describe, expect, it } from 'vitest';
import { T0, statusFixture, workerFixture } from '../../proxy/api/test-support/status-fixture.js';
import { initialState, reduce } from './dash-state.js';
import { plainReport } from './plain-report.js';

describe('plain report', () => {
  it('prints the upstream and every worker with every column, sorted by name', () => {
    let s = reduce(initialState(T0), { type: 'link', at: T0, phase: 'polling' });
    s = reduce(s, {
      type: 'status',
      at: T0,
      status: statusFixture([
        workerFixture('rack.nerd-01', { kind: 'nerdminer', rejected: 1, stale: 1 }),
        workerFixture('a-very-long-worker-name.with-many-parts-01'),
      ]),
    });
    const lines = plainReport(s, 'http://127.0.0.1:8080', T0 + 2000).split('\n');
    expect(lines[0]).toMatch(/^karoo dash http:\/\/127\.0\.0\.1:8080 at \d\d:\d\d:\d\d: polling \/status$/);
    expect(lines[1]).toBe('pool pool.example:3333  ready 1h  diff 1.02k  en1 abcd0001  notify 14s ago');
    expect(lines[2]).toBe('miners 2  workers 2  500 kH/s  acc 20  rej 1  fwd 6  pool 6/0');
    expect(lines[3]).toMatch(
      /^worker +kind +diff +H\/s +acc +rej +stl +last +p50 +p95 +spacing +pool a\/r +fwd +dup +remote$/,
    );
    expect(lines[4]).toMatch(/^a-very-long-worker-name\.with-ma~ cpuminer /);
    expect(lines[5]).toMatch(
      /^rack\.nerd-01 +nerdminer +1e-3 +250k +10 +1 +1 +6s +12ms +40ms +8s +3\/0 +3 +0 10\.0\.0\.7:40112$/,
    );
    expect(lines.at(-1)).toBe('');
  });

  it('prints only the header line before the first picture', () => {
    const s = reduce(initialState(T0), { type: 'link', at: T0, phase: 'down', error: 'ECONNREFUSED' });
    expect(plainReport(s, 'http://h:1', T0)).toMatch(
      /^karoo dash http:\/\/h:1 at .*: PROXY UNREACHABLE: ECONNREFUSED\n$/,
    );
  });
});
