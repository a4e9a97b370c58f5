import type { JsonValue } from '../../stratum/index.js';
import { stratumErrorFromWire } from '../../stratum/index.js';

/**
 * The shape of a JSON value, as replays compare answers: booleans and null by value, numbers and
 * strings by type (extranonce1, sizes, subscription ids and messages may differ), arrays by
 * length and element shapes (a list of strings, such as merkle branches, by type only), objects
 * by keys and value shapes.
 */
export function shapeOf(value: JsonValue | undefined): string {
  if (value === undefined) return 'absent';
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((v) => typeof v === 'string')) return 'string[]';
    return `[${value.map(shapeOf).join(',')}]`;
  }
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${shapeOf(value[k])}`).join(',')}}`;
}

/** The Stratum error code of an answer, or null when it has no error. */
export function errorCodeOf(answer: { [key: string]: JsonValue }): number | null {
  return stratumErrorFromWire(answer.error ?? null)?.code ?? null;
}

/** One line describing an answer: `true`, `error 23`, `[[string[],string[]],string,number]`. */
export function describeAnswer(answer: { [key: string]: JsonValue }): string {
  const code = errorCodeOf(answer);
  return code === null ? `result ${shapeOf(answer.result)}` : `error ${code}`;
}
