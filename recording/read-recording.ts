import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import type { Entry, Recording, RecordingHeader } from './format.js';
import { MARK_EVENTS, RECORDING_FORMAT, RECORDING_VERSION } from './format.js';

/** A recording file that cannot be read; the message names the file and line. */
export class RecordingFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordingFormatError';
  }
}

const side = z.enum(['miner', 'pool']);
const t = z.number().finite().min(0);
const json: z.ZodType = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), z.record(z.string(), json)]),
);

const headerSchema = z
  .object({
    format: z.literal(RECORDING_FORMAT),
    version: z.literal(RECORDING_VERSION),
    session: z.number().int().min(0),
    started: z.string(),
    miner: z.string().optional(),
    upstream: z.string().optional(),
    target: z.record(z.string(), json).optional(),
    note: z.string().optional(),
  })
  .strict();

const recordSchema = z.union([
  z.object({ t, from: side, line: z.string() }).strict(),
  z.object({ t, from: side, close: z.literal(true), error: z.string().optional() }).strict(),
  z.object({ t, from: side, oversize: z.number().int().min(0) }).strict(),
  z.object({ t, event: z.enum(MARK_EVENTS) }).strict(),
  z.object({ t, truncated: z.string() }).strict(),
]);

/** Parses a recording's text (the first line the header, then one record a line). */
export function parseRecording(text: string, name: string): Recording {
  const lines = text.split('\n');
  const at = (n: number): string => `${name}:${n}`;
  const first = lines[0]?.trim() ?? '';
  if (first === '') throw new RecordingFormatError(`${at(1)}: empty file, expected a recording header`);
  const header = headerSchema.safeParse(parseJson(first, at(1)));
  if (!header.success) {
    throw new RecordingFormatError(
      `${at(1)}: not a ${RECORDING_FORMAT} v${RECORDING_VERSION} header (${issue(header.error)})`,
    );
  }
  const entries: Entry[] = [];
  for (let i = 1; i < lines.length; i += 1) {
    const raw = (lines[i] as string).trim();
    if (raw === '') continue;
    const parsed = recordSchema.safeParse(parseJson(raw, at(i + 1)));
    if (!parsed.success)
      throw new RecordingFormatError(`${at(i + 1)}: not a record (${issue(parsed.error)})`);
    entries.push(toEntry(parsed.data, entries.length + 1));
  }
  return { name, header: header.data as RecordingHeader, entries };
}

export function readRecording(path: string): Recording {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RecordingFormatError(
      `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
  return parseRecording(text, basename(path));
}

function toEntry(r: z.infer<typeof recordSchema>, index: number): Entry {
  if ('line' in r) return { kind: 'line', index, t: r.t, from: r.from, line: r.line };
  if ('close' in r) {
    return {
      kind: 'close',
      index,
      t: r.t,
      from: r.from,
      ...(r.error === undefined ? {} : { error: r.error }),
    };
  }
  if ('oversize' in r) return { kind: 'oversize', index, t: r.t, from: r.from, bytes: r.oversize };
  if ('event' in r) return { kind: 'mark', index, t: r.t, event: r.event };
  return { kind: 'truncated', index, t: r.t, reason: r.truncated };
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new RecordingFormatError(`${where}: not valid JSON`);
  }
}

function issue(error: z.ZodError): string {
  const first = error.issues[0];
  if (first === undefined) return 'invalid';
  const path = first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  return `${path}${first.message}`;
}
