/**
 * Where values sit inside one JSON line, so a value can be replaced without re-serialising the
 * rest: firmware builds its lines with sprintf (spaces, key order, number formats), and a recording
 * or replay keeps those bytes as they were. Only top-level keys and the elements of one array are
 * located; the line must already be valid JSON (callers JSON.parse it first).
 */
export type Span = readonly [start: number, end: number];

/** The span of each top-level key's value in a JSON object line. */
export function topLevelSpans(line: string): Map<string, Span> {
  const out = new Map<string, Span>();
  let i = skipWs(line, 0);
  if (line[i] !== '{') return out;
  i = skipWs(line, i + 1);
  while (i < line.length && line[i] !== '}') {
    const keyEnd = skipString(line, i);
    const key = JSON.parse(line.slice(i, keyEnd)) as string;
    i = skipWs(line, keyEnd);
    i = skipWs(line, i + 1); // ':'
    const valueEnd = skipValue(line, i);
    out.set(key, [i, valueEnd]);
    i = skipWs(line, valueEnd);
    if (line[i] === ',') i = skipWs(line, i + 1);
  }
  return out;
}

/** The spans of the elements of the array at `span` (which must start with '['). */
export function arrayElementSpans(line: string, span: Span): Span[] {
  const out: Span[] = [];
  let i = skipWs(line, span[0]);
  if (line[i] !== '[') return out;
  i = skipWs(line, i + 1);
  while (i < span[1] && line[i] !== ']') {
    const end = skipValue(line, i);
    out.push([i, end]);
    i = skipWs(line, end);
    if (line[i] === ',') i = skipWs(line, i + 1);
  }
  return out;
}

/** The spans of a request's `params` elements, or undefined when it has no params array. */
export function paramSpans(line: string): Span[] | undefined {
  const span = topLevelSpans(line).get('params');
  if (span === undefined || line[span[0]] !== '[') return undefined;
  return arrayElementSpans(line, span);
}

/** Applies replacements (non-overlapping spans) to the line. */
export function replaceSpans(line: string, edits: readonly { span: Span; text: string }[]): string {
  let out = line;
  for (const e of [...edits].sort((a, b) => b.span[0] - a.span[0])) {
    out = out.slice(0, e.span[0]) + e.text + out.slice(e.span[1]);
  }
  return out;
}

function skipWs(s: string, i: number): number {
  let j = i;
  while (j < s.length && (s[j] === ' ' || s[j] === '\t' || s[j] === '\n' || s[j] === '\r')) j += 1;
  return j;
}

function skipString(s: string, i: number): number {
  let j = i + 1;
  while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
  return j + 1;
}

function skipValue(s: string, i: number): number {
  const c = s[i];
  if (c === '"') return skipString(s, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    let j = i;
    while (j < s.length) {
      const ch = s[j];
      if (ch === '"') {
        j = skipString(s, j);
        continue;
      }
      if (ch === '{' || ch === '[') depth += 1;
      else if (ch === '}' || ch === ']') {
        depth -= 1;
        if (depth === 0) return j + 1;
      }
      j += 1;
    }
    return j;
  }
  let j = i;
  while (j < s.length && !',}] \t\r\n'.includes(s[j] as string)) j += 1;
  return j;
}
