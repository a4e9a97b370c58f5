import { describe, expect, it } from 'vitest';
import { perSession, tallyHeap } from './heap-breakdown.js';
import type { HeapSnapshotJson } from './heap-breakdown.js';

/** A heap snapshot in V8's layout: flat node records of [type, name, id, self_size, edge_count]. */
function snapshot(nodes: [type: number, name: number, size: number][], strings: string[]): HeapSnapshotJson {
  return {
    snapshot: {
      meta: {
        node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
        node_types: [['hidden', 'array', 'string', 'object', 'code', 'closure'], 'string', 'number'],
      },
    },
    nodes: nodes.flatMap(([type, name, size], i) => [type, name, i + 1, size, 0]),
    strings,
  };
}

describe('tallyHeap', () => {
  it('counts objects by constructor, closures by function name, and V8 internals by type', () => {
    const strings = ['MinerSession', 'onLine', '', 'some text'];
    const tally = tallyHeap(
      snapshot(
        [
          [3, 0, 248],
          [3, 0, 248],
          [5, 1, 56],
          [5, 2, 32],
          [1, 2, 100],
          [2, 3, 40],
        ],
        strings,
      ),
    );
    expect(tally).toEqual({
      MinerSession: { count: 2, bytes: 496 },
      'closure onLine': { count: 1, bytes: 56 },
      'closure (anonymous)': { count: 1, bytes: 32 },
      '(array)': { count: 1, bytes: 100 },
      '(string)': { count: 1, bytes: 40 },
    });
  });
});

describe('perSession', () => {
  it('divides what was added by the sessions, largest first, the rest in one line that keeps the total', () => {
    const before = { A: { count: 1, bytes: 100 }, Gone: { count: 2, bytes: 40 } };
    const after = {
      A: { count: 11, bytes: 1100 },
      B: { count: 20, bytes: 600 },
      C: { count: 10, bytes: 100 },
    };
    expect(perSession(before, after, 10, 2)).toEqual([
      { name: 'A', count: 1, bytes: 100 },
      { name: 'B', count: 2, bytes: 60 },
      { name: '(other)', count: 0.8, bytes: 6 },
    ]);
    expect(perSession(before, after, 0)).toEqual([]);
  });
});
