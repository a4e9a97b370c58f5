import type { JsonValue } from '../../stratum/index.js';

/** How a replay sees one line: an answer (by id), a request or notification (by method), or neither. */
export type LineKind =
  | { kind: 'answer'; id: JsonValue; value: { [key: string]: JsonValue } }
  | { kind: 'request'; id: JsonValue; method: string; value: { [key: string]: JsonValue } }
  | { kind: 'garbage' };

export function classifyLine(line: string): LineKind {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: 'garbage' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'garbage' };
  const obj = value as { [key: string]: JsonValue };
  const id = obj.id === undefined ? null : obj.id;
  if (typeof obj.method === 'string') return { kind: 'request', id, method: obj.method, value: obj };
  if ('result' in obj || 'error' in obj) return { kind: 'answer', id, value: obj };
  return { kind: 'garbage' };
}

/** Counts occurrences so the n-th answer with an id pairs with the n-th request with that id. */
export class OccurrenceCounter {
  private readonly counts = new Map<string, number>();

  /** The next occurrence (1, 2, ...) of this key. */
  next(key: string): number {
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n;
  }
}

export const idKey = (id: JsonValue): string => JSON.stringify(id);
export const answerKey = (id: JsonValue, n: number): string => `answer ${idKey(id)} #${n}`;
export const requestKey = (id: JsonValue, n: number): string => `request ${idKey(id)} #${n}`;
export const notificationKey = (method: string, n: number): string => `${method} #${n}`;
export const garbageKey = (n: number): string => `non-JSON line #${n}`;
