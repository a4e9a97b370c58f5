import type { z } from 'zod';

/** `faults[2].ms` from `['faults', 2, 'ms']`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(top level)' : out;
}

/**
 * One line per problem, each naming the key, what was expected and what was given:
 * `faults[0].fraction: expected number <= 1, got 2`.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string {
  return issues
    .map((issue) => {
      const where = formatPath(issue.path);
      const message = issue.message
        .replace(/^Invalid input: /, '')
        .replace(/^Invalid option: /, '')
        .replace(/^Too (big|small): /, '')
        .replace(/^Invalid discriminator value\. Expected /, 'expected one of ');
      if (issue.code === 'unrecognized_keys') return `${where}: ${message} (not a known key)`;
      const got = valueAt(input, issue.path);
      return got === undefined
        ? `${where}: ${message}, got nothing`
        : `${where}: ${message}, got ${preview(got)}`;
    })
    .join('; ');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
