import { StratumError, parseMessage } from '../../stratum/index.js';
import type { JsonValue, StratumMessage } from '../../stratum/index.js';
import { WorkTracker } from '../mining/work-tracker.js';
import type { MarkEvent, Recording } from '../../recording/format.js';
import type { LineKind } from './line-kind.js';
import {
  OccurrenceCounter,
  answerKey,
  classifyLine,
  garbageKey,
  idKey,
  notificationKey,
  requestKey,
} from './line-kind.js';
import type { SubmitPlan } from './submit-plan.js';
import { planSubmit } from './submit-plan.js';

/** A line the target must send, as the recording says. */
export interface ExpectedEvent {
  key: string;
  /** Position in the recording (entries are numbered from 1). */
  index: number;
  kind: LineKind['kind'];
  line: string;
  /** For notifications: the method; for answers: the method of the request answered, when known. */
  method: string | undefined;
}

export type Step =
  | {
      kind: 'send';
      index: number;
      line: string;
      /** The request this line makes (answers are matched to it), when it has a method. */
      request: { key: string; method: string } | undefined;
      /** A mining.submit: how to re-mine it; `position` counts submits from 0. */
      submit: { plan: SubmitPlan; position: number } | undefined;
      /** An answer to a pool's request (mining.ping, client.get_version): the key of that request. */
      replyTo: string | undefined;
    }
  | { kind: 'oversize'; index: number; bytes: number }
  | {
      kind: 'mark';
      index: number;
      event: MarkEvent;
      /** The first notification the target sent after the mark: awaited before going on. */
      reaction: string | undefined;
    }
  | { kind: 'miner-close'; index: number }
  | { kind: 'pool-close'; index: number };

export interface ReplayPlan {
  steps: Step[];
  expected: ExpectedEvent[];
  /** The recording ends with the pool closing the connection. */
  poolCloses: boolean;
  /** Where the recording was cut short (size cap), if it was. */
  truncated: string | undefined;
  notes: string[];
}

/**
 * Reads a recording into the steps a replay takes (the miner's side) and the lines the target
 * must send back. The recorded pool lines also drive a WorkTracker, so each recorded share can be
 * described relative to its session (extranonce2 length, ntime offset, met or missed difficulty).
 */
export function planReplay(recording: Recording): ReplayPlan {
  const steps: Step[] = [];
  const expected: ExpectedEvent[] = [];
  const notes: string[] = [];
  const tracker = new WorkTracker();
  const answerCount = new OccurrenceCounter();
  const requestCount = new OccurrenceCounter();
  const methodCount = new OccurrenceCounter();
  let garbageCount = 0;
  /** request key -> method, to name what each answer answers. */
  const requestMethod = new Map<string, string>();
  /** job id -> key of the notify that last announced it. */
  const notifyKeyOf = new Map<string, string>();
  /** a pool request's id -> its key (for the miner's answers to it). */
  const poolRequestKeyOf = new Map<string, string>();
  const seenShares = new Map<string, number>();
  let submits = 0;
  let poolCloses = false;
  let truncated: string | undefined;

  for (const entry of recording.entries) {
    if (truncated !== undefined) break;
    switch (entry.kind) {
      case 'truncated':
        truncated = entry.reason;
        notes.push(`recording truncated at record ${entry.index}: ${entry.reason}`);
        break;
      case 'mark':
        steps.push({ kind: 'mark', index: entry.index, event: entry.event, reaction: undefined });
        break;
      case 'close':
        if (entry.from === 'pool') {
          poolCloses = true;
          steps.push({ kind: 'pool-close', index: entry.index });
        } else steps.push({ kind: 'miner-close', index: entry.index });
        break;
      case 'oversize':
        if (entry.from === 'miner') steps.push({ kind: 'oversize', index: entry.index, bytes: entry.bytes });
        else notes.push(`record ${entry.index}: the pool sent a line over the recorder's cap; not compared`);
        break;
      case 'line': {
        const kind = classifyLine(entry.line);
        if (entry.from === 'pool') {
          const ev = poolEvent(entry.index, entry.line, kind);
          expected.push(ev);
          if (kind.kind === 'request' && kind.id !== null) poolRequestKeyOf.set(idKey(kind.id), ev.key);
          if (kind.kind === 'request' && kind.method === 'mining.notify') {
            const jobId = kind.value.params;
            if (Array.isArray(jobId) && typeof jobId[0] === 'string') notifyKeyOf.set(jobId[0], ev.key);
          }
          feed(tracker, entry.line, ev.method);
        } else {
          steps.push(minerStep(entry.index, entry.line, kind));
        }
        break;
      }
    }
  }
  return { steps: orderAroundMarks(steps, expected), expected, poolCloses, truncated, notes };

  function poolEvent(index: number, line: string, kind: LineKind): ExpectedEvent {
    if (kind.kind === 'answer') {
      const n = answerCount.next(idKey(kind.id));
      return {
        key: answerKey(kind.id, n),
        index,
        kind: 'answer',
        line,
        method: requestMethod.get(requestKey(kind.id, n)),
      };
    }
    if (kind.kind === 'request') {
      const key = notificationKey(kind.method, methodCount.next(kind.method));
      return { key, index, kind: 'request', line, method: kind.method };
    }
    garbageCount += 1;
    return { key: garbageKey(garbageCount), index, kind: 'garbage', line, method: undefined };
  }

  function minerStep(index: number, line: string, kind: LineKind): Step {
    const send = {
      kind: 'send' as const,
      index,
      line,
      request: undefined,
      submit: undefined,
      replyTo: undefined,
    };
    if (kind.kind === 'answer') {
      return { ...send, replyTo: poolRequestKeyOf.get(idKey(kind.id)) };
    }
    if (kind.kind !== 'request') return send;
    if (kind.method === 'pong' || kind.method === 'mining.pong') {
      return { ...send, replyTo: poolRequestKeyOf.get(idKey(kind.id)) };
    }
    const key = requestKey(kind.id, requestCount.next(idKey(kind.id)));
    requestMethod.set(key, kind.method);
    const request = { key, method: kind.method };
    if (kind.method !== 'mining.submit') return { ...send, request };
    let msg: StratumMessage;
    try {
      msg = parseMessage(line);
    } catch (err) {
      if (!(err instanceof StratumError)) throw err;
      return { ...send, request };
    }
    if (msg.type !== 'request' || msg.method !== 'mining.submit') return { ...send, request };
    const raw = Array.isArray(kind.value.params) ? (kind.value.params as JsonValue[]) : [];
    const position = submits;
    submits += 1;
    const plan = planSubmit(msg.params, raw, tracker, notifyKeyOf, seenShares, position);
    return { ...send, request, submit: { plan, position } };
  }
}

function feed(tracker: WorkTracker, line: string, answers: string | undefined): void {
  try {
    tracker.onPoolMessage(parseMessage(line), answers);
  } catch (err) {
    if (!(err instanceof StratumError)) throw err;
  }
}

/**
 * A mark is where the driver acted on the target (a new block) while the miner may have had
 * requests in flight. Whether the target judged such a request before or after the action shows
 * in the recording: its answer came before or after the first notification the action caused.
 * Requests answered after it are moved to just after the mark, and the replay waits for that
 * notification before sending them, so the target sees things in the recorded order.
 */
function orderAroundMarks(steps: Step[], expected: readonly ExpectedEvent[]): Step[] {
  const answerIndex = new Map<string, number>();
  for (const e of expected) {
    if (e.kind === 'answer') answerIndex.set(e.key.replace(/^answer /, 'request '), e.index);
  }
  let out = steps;
  for (let m = 0; m < out.length; m += 1) {
    const mark = out[m] as Step;
    if (mark.kind !== 'mark') continue;
    const reaction = expected.find((e) => e.kind === 'request' && e.index > mark.index);
    if (reaction === undefined) continue;
    const late = (s: Step): boolean =>
      s.kind === 'send' &&
      s.request !== undefined &&
      (answerIndex.get(s.request.key) ?? Number.POSITIVE_INFINITY) > reaction.index;
    const before = out.slice(0, m);
    const moved = before.filter(late);
    out = [
      ...before.filter((s) => !late(s)),
      { ...mark, reaction: reaction.key },
      ...moved,
      ...out.slice(m + 1),
    ];
    m = before.length - moved.length;
  }
  return out;
}
