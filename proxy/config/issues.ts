import { z } from 'zod';
import { ConfigError, describeValueAt } from './errors.js';

/** Renders a path like ['backups', 1, 'host'] as `backups[1].host`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

export function joinKey(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** One line per problem; unknown keys first (a typo usually explains everything after it). */
export function issuesToError(issues: readonly z.core.$ZodIssue[], root: z.ZodType): ConfigError {
  const ordered = [...issues].sort(
    (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
  );
  const first = ordered[0];
  if (first === undefined) return new ConfigError('CONFIG_INVALID', '', 'config: invalid');
  const extra = ordered.length - 1 + (first.code === 'unrecognized_keys' ? first.keys.length - 1 : 0);
  const more = extra > 0 ? ` (and ${extra} more problem${extra === 1 ? '' : 's'})` : '';
  const parent = formatKeyPath(first.path);
  if (first.code === 'unrecognized_keys') {
    const bad = first.keys[0] as string;
    const key = joinKey(parent, bad);
    const known = knownKeysAt(root, first.path);
    const guess = closest(bad, known);
    const hint = guess
      ? `did you mean ${joinKey(parent, guess)}?`
      : known.length > 0
        ? `known keys here: ${known.join(', ')}`
        : 'no keys allowed here';
    return new ConfigError('CONFIG_UNKNOWN_KEY', key, `config: ${key}: unknown key (${hint})${more}`);
  }
  const where = parent === '' ? 'top level' : parent;
  const input = 'input' in first ? first.input : undefined;
  return new ConfigError(
    'CONFIG_INVALID',
    parent,
    `config: ${where}: expected ${first.message}, got ${describeValueAt(parent, input)}${more}`,
  );
}

/** The keys an object schema allows at `path` (through defaults, optionals and arrays). */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.ZodType | undefined = unwrap(schema);
  for (const part of path) {
    if (node instanceof z.ZodArray && typeof part === 'number') node = unwrap(node.element as z.ZodType);
    else if (node instanceof z.ZodObject && typeof part === 'string')
      node = unwrap(node.shape[part] as z.ZodType | undefined);
    else return [];
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let node = schema;
  for (let i = 0; i < 8 && node !== undefined; i += 1) {
    if (
      node instanceof z.ZodDefault ||
      node instanceof z.ZodPrefault ||
      node instanceof z.ZodOptional ||
      node instanceof z.ZodNullable
    ) {
      node = node.unwrap() as z.ZodType;
    } else if (node instanceof z.ZodPipe) {
      // A preprocess (a transform before the schema) checks nothing itself: look at what follows.
      node = (node.in instanceof z.ZodTransform ? node.out : node.in) as z.ZodType;
    } else {
      break;
    }
  }
  return node;
}

/** The known key nearest to a typo, when it is near enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const distance = levenshtein(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(2, Math.floor(word.length / 3));
  return best !== null && bestDistance <= allowed ? best : null;
}

function levenshtein(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Math.abs(a.length - b.length) + 64;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost));
    }
    prev = row;
  }
  return prev[b.length] as number;
}
