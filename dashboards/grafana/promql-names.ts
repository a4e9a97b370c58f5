const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads: what is left once strings, label matchers, range
 * selectors, grouping clauses, function names, keywords and numbers are taken out. Enough for
 * the dashboard's own queries (not a full PromQL parser).
 */
export function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/(?<![\w.])\d[\w.]*/g, ' ');
  const names = new Set<string>();
  for (const m of bare.matchAll(/[A-Za-z_:][\w:]*/g)) {
    const isFunction = /^\s*\(/.test(bare.slice((m.index ?? 0) + m[0].length));
    if (!isFunction && !KEYWORDS.has(m[0].toLowerCase())) names.add(m[0]);
  }
  return [...names];
}
