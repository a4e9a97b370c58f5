/** The parts of a V8 heap snapshot (`v8.getHeapSnapshot()`, .heapsnapshot JSON) that a tally reads. */
export interface HeapSnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: unknown[] } };
  nodes: number[];
  strings: string[];
}

/** Objects in a heap by what made them: count and self size in bytes. */
export type HeapTally = Record<string, { count: number; bytes: number }>;

/** One line of a per-session breakdown: what one session adds to the heap, on average. */
export interface HeapShare {
  name: string;
  /** Objects of this kind per session. */
  count: number;
  /** Bytes per session (self sizes). */
  bytes: number;
}

/** Node types named by their constructor (or function) name; every other type by `(type)`. */
const NAMED_TYPES = new Set(['object', 'closure', 'native']);

/**
 * Tallies a heap snapshot by constructor: objects by their class name, closures as
 * `closure NAME`, and V8's internal kinds (arrays backing properties, strings, code, numbers)
 * as `(array)`, `(string)`, ... Self sizes only: what each object holds itself.
 */
export function tallyHeap(snapshot: HeapSnapshotJson): HeapTally {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0] as string[];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const tally: HeapTally = {};
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt] as number] ?? 'unknown';
    let name = NAMED_TYPES.has(type) ? (snapshot.strings[snapshot.nodes[i + nameAt] as number] ?? '') : '';
    if (type === 'closure') name = `closure ${name || '(anonymous)'}`;
    else if (name === '') name = `(${type})`;
    const entry = (tally[name] ??= { count: 0, bytes: 0 });
    entry.count += 1;
    entry.bytes += snapshot.nodes[i + sizeAt] as number;
  }
  return tally;
}

/**
 * What each of `sessions` sessions added between two tallies, largest first: the `top` kinds by
 * bytes, then one `(other)` line for the rest, so the lines add up to the whole difference.
 */
export function perSession(before: HeapTally, after: HeapTally, sessions: number, top = 24): HeapShare[] {
  if (!(sessions > 0)) return [];
  const shares: HeapShare[] = Object.entries(after).map(([name, a]) => {
    const b = before[name] ?? { count: 0, bytes: 0 };
    return { name, count: (a.count - b.count) / sessions, bytes: (a.bytes - b.bytes) / sessions };
  });
  for (const [name, b] of Object.entries(before)) {
    if (!(name in after)) shares.push({ name, count: -b.count / sessions, bytes: -b.bytes / sessions });
  }
  shares.sort((x, y) => y.bytes - x.bytes);
  const head = shares.slice(0, top);
  const rest = shares.slice(top);
  if (rest.length > 0) {
    head.push({
      name: '(other)',
      count: rest.reduce((a, s) => a + s.count, 0),
      bytes: rest.reduce((a, s) => a + s.bytes, 0),
    });
  }
  return head;
}
