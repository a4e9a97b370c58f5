/**
 * A Stratum JSON line as a miner echoed it to its console. Console lines get cut (a full UART
 * buffer, a reset mid-line, our own line cap), so a payload that does not parse is kept with
 * `truncated: true`, with the id and method picked out of the raw text, and with `json` holding
 * the longest prefix that parses once its open strings' elements are dropped and its brackets closed.
 */
export interface JsonPayload {
  readonly raw: string;
  readonly json?: unknown;
  readonly truncated: boolean;
  readonly id?: number | string | null;
  readonly method?: string;
}

/** How many cut points a truncated payload is retried at, from the end (bounds the work per line). */
const MAX_REPAIR_ATTEMPTS = 32;

export function parseJsonPayload(text: string): JsonPayload {
  const raw = text.trim();
  const whole = tryParse(raw);
  if (whole.ok) return { raw, json: whole.value, truncated: false, ...fieldsOf(whole.value) };

  const repaired = repairTruncated(raw);
  return {
    raw,
    truncated: true,
    ...scanFields(raw),
    ...(repaired.ok && { json: repaired.value, ...fieldsOf(repaired.value) }),
  };
}

type Parsed = { ok: true; value: unknown } | { ok: false };

function tryParse(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function fieldsOf(value: unknown): { id?: number | string | null; method?: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const obj = value as Record<string, unknown>;
  const id = obj['id'];
  const method = obj['method'];
  return {
    ...((typeof id === 'number' || typeof id === 'string' || id === null) && { id }),
    ...(typeof method === 'string' && { method }),
  };
}

function scanFields(raw: string): { id?: number | string | null; method?: string } {
  const method = /"method"\s*:\s*"([^"\\]*)"/.exec(raw)?.[1];
  const idText = /"id"\s*:\s*(null|-?\d+|"[^"\\]*")/.exec(raw)?.[1];
  let id: number | string | null | undefined;
  if (idText === 'null') id = null;
  else if (idText?.startsWith('"')) id = idText.slice(1, -1);
  else if (idText !== undefined) id = Number(idText);
  return { ...(id !== undefined && { id }), ...(method !== undefined && { method }) };
}

/**
 * Closes a cut-off JSON text: first as it stands (when it did not stop inside a string), then cut
 * back to each earlier top-level-of-its-container comma, dropping the partial element.
 */
function repairTruncated(raw: string): Parsed {
  if (!raw.startsWith('{') && !raw.startsWith('[')) return { ok: false };
  const closers: string[] = [];
  const cuts: { at: number; close: string }[] = [];
  let inString = false;
  let escaped = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') closers.push('}');
    else if (c === '[') closers.push(']');
    else if (c === '}' || c === ']') closers.pop();
    else if (c === ',') {
      cuts.push({ at: i, close: [...closers].reverse().join('') });
      if (cuts.length > MAX_REPAIR_ATTEMPTS) cuts.shift();
    }
  }
  if (!inString) {
    const asIs = tryParse(raw.replace(/[\s,:]+$/, '') + [...closers].reverse().join(''));
    if (asIs.ok) return asIs;
  }
  for (let k = cuts.length - 1; k >= 0; k--) {
    const cut = cuts[k]!;
    const attempt = tryParse(raw.slice(0, cut.at) + cut.close);
    if (attempt.ok) return attempt;
  }
  return { ok: false };
}
