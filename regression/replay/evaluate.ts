import { StratumError, parseMessage } from '../../stratum/index.js';
import type { JsonValue, StratumMessage } from '../../stratum/index.js';
import type { StratumClient } from '../../peers/stratum-client.js';
import type { LineKind } from './line-kind.js';
import { classifyLine } from './line-kind.js';
import type { ExpectedEvent, ReplayPlan } from './replay-plan.js';
import type { ReplayFinding } from './replay-report.js';
import { describeAnswer, errorCodeOf, shapeOf } from './shape.js';

/** A line the target sent, keyed the way the plan keys recorded lines. */
export interface LiveEvent {
  key: string;
  /** 1 for the first line received, 2 for the next, ... */
  order: number;
  line: string;
  kind: LineKind;
  method: string | undefined;
  at: number;
}

export interface Evaluation {
  findings: ReplayFinding[];
  notes: string[];
  matched: number;
}

/** Compares what the target sent with what the recording expects, by the replay rules. */
export function evaluateReplay(
  plan: ReplayPlan,
  live: ReadonlyMap<string, LiveEvent>,
  client: StratumClient,
  poolCloseStep: number | undefined,
): Evaluation {
  const findings: ReplayFinding[] = [];
  const notes = new Set<string>();
  let matched = 0;
  for (const e of plan.expected) {
    const got = live.get(e.key);
    if (got !== undefined) matched += 1;
    findings.push(e.kind === 'answer' ? compareAnswer(e, got) : compareNotification(e, got, notes));
  }
  findings.push(...orderFindings(plan, live));
  if (plan.poolCloses) {
    const closedByTarget = client.closeReason !== undefined && client.closeReason !== 'local';
    findings.push({
      rule: 'close',
      ok: closedByTarget,
      what: 'the target closes the connection',
      expected: 'closed by the target',
      got: closedByTarget ? `closed (${client.closeReason})` : 'still open',
      ...(poolCloseStep === undefined ? {} : { index: poolCloseStep }),
    });
  }
  const expectedKeys = new Set(plan.expected.map((e) => e.key));
  const extra = new Map<string, number>();
  for (const ev of live.values()) {
    if (expectedKeys.has(ev.key)) continue;
    const what =
      ev.kind.kind === 'answer' ? `answer to ${ev.method ?? 'a request'}` : ev.key.replace(/ #\d+$/, '');
    extra.set(what, (extra.get(what) ?? 0) + 1);
  }
  for (const [what, n] of extra)
    notes.add(`the target sent ${n} ${what} line(s) the recording does not have`);
  return { findings, notes: [...notes], matched };
}

function compareAnswer(e: ExpectedEvent, got: LiveEvent | undefined): ReplayFinding {
  const recorded = classifyLine(e.line);
  const id = recorded.kind === 'answer' ? JSON.stringify(recorded.id) : '?';
  const what = `answer to ${e.method ?? 'a request'} (id ${id})`;
  const expected = recorded.kind === 'answer' ? describeAnswer(recorded.value) : 'an answer';
  if (got === undefined || got.kind.kind !== 'answer' || recorded.kind !== 'answer') {
    return { rule: 'answer', ok: false, what, expected, got: 'no answer', index: e.index };
  }
  const want = recorded.value;
  const have = got.kind.value;
  const codeOk = errorCodeOf(want) === errorCodeOf(have);
  const shapeOk = errorCodeOf(want) !== null || shapeOf(want.result) === shapeOf(have.result);
  return { rule: 'answer', ok: codeOk && shapeOk, what, expected, got: describeAnswer(have), index: e.index };
}

function compareNotification(
  e: ExpectedEvent,
  got: LiveEvent | undefined,
  notes: Set<string>,
): ReplayFinding {
  const what = e.kind === 'garbage' ? e.key : `${e.key} from the target`;
  const base = { rule: 'notification' as const, what, index: e.index };
  if (got === undefined) return { ...base, ok: false, expected: summarise(e.line), got: 'nothing' };
  if (e.kind === 'garbage') return { ...base, ok: true, expected: 'a non-JSON line', got: 'a non-JSON line' };
  const want = parsed(e.line);
  const have = parsed(got.line);
  if (want?.type === 'request' && want.method === 'mining.notify') {
    if (have?.type !== 'request' || have.method !== 'mining.notify') {
      return { ...base, ok: false, expected: 'a valid mining.notify', got: parseProblem(got.line) };
    }
    const ok = want.params.cleanJobs === have.params.cleanJobs;
    return {
      ...base,
      ok,
      expected: `mining.notify with clean_jobs ${want.params.cleanJobs}`,
      got: `mining.notify with clean_jobs ${have.params.cleanJobs}`,
    };
  }
  if (want?.type === 'request' && want.method === 'mining.set_difficulty') {
    if (have?.type !== 'request' || have.method !== 'mining.set_difficulty') {
      return { ...base, ok: false, expected: 'a valid mining.set_difficulty', got: parseProblem(got.line) };
    }
    if (want.params.difficulty !== have.params.difficulty) {
      notes.add(`difficulty differs: recorded ${want.params.difficulty}, target ${have.params.difficulty}`);
    }
    return {
      ...base,
      ok: true,
      expected: 'mining.set_difficulty',
      got: `mining.set_difficulty ${have.params.difficulty}`,
    };
  }
  const wantShape = shapeOf(paramsOf(e.line));
  const haveShape = shapeOf(paramsOf(got.line));
  return {
    ...base,
    ok: wantShape === haveShape,
    expected: `params ${wantShape}`,
    got: `params ${haveShape}`,
  };
}

/**
 * Notifications must come in the recorded order (set_difficulty before the notify it applies to),
 * and the answer to mining.subscribe before any notification when it came first in the recording.
 */
function orderFindings(plan: ReplayPlan, live: ReadonlyMap<string, LiveEvent>): ReplayFinding[] {
  const out: ReplayFinding[] = [];
  const notifications = plan.expected.filter((e) => e.kind === 'request' && live.has(e.key));
  if (notifications.length > 1) {
    const byLive = [...notifications].sort((a, b) => orderOf(live, a) - orderOf(live, b));
    const at = notifications.findIndex((e, i) => byLive[i]?.key !== e.key);
    out.push({
      rule: 'order',
      ok: at === -1,
      what: 'order of notifications (set_difficulty before the notify it applies to)',
      expected: at === -1 ? 'recorded order' : around(notifications, at),
      got: at === -1 ? 'recorded order' : around(byLive, at),
      ...(at === -1 ? {} : { index: notifications[at]?.index as number }),
    });
  }
  const subscribe = plan.expected.find((e) => e.kind === 'answer' && e.method === 'mining.subscribe');
  const firstNote = plan.expected.find((e) => e.kind === 'request');
  const liveSub = subscribe === undefined ? undefined : live.get(subscribe.key);
  if (subscribe !== undefined && firstNote !== undefined && subscribe.index < firstNote.index && liveSub) {
    const firstLive = Math.min(
      ...[...live.values()].filter((v) => v.kind.kind === 'request').map((v) => v.order),
    );
    out.push({
      rule: 'order',
      ok: liveSub.order < firstLive,
      what: 'the subscribe answer comes before any notification',
      expected: 'answer first',
      got: liveSub.order < firstLive ? 'answer first' : 'a notification first',
      index: subscribe.index,
    });
  }
  return out;
}

function orderOf(live: ReadonlyMap<string, LiveEvent>, e: ExpectedEvent): number {
  return live.get(e.key)?.order ?? Number.POSITIVE_INFINITY;
}

function around(list: readonly ExpectedEvent[], at: number): string {
  const from = Math.max(0, at - 1);
  return list
    .slice(from, at + 3)
    .map((e) => e.key)
    .join(', ');
}

function parsed(line: string): StratumMessage | undefined {
  try {
    return parseMessage(line);
  } catch (err) {
    if (!(err instanceof StratumError)) throw err;
    return undefined;
  }
}

function parseProblem(line: string): string {
  try {
    parseMessage(line);
    return summarise(line);
  } catch (err) {
    return (err as Error).message;
  }
}

function paramsOf(line: string): JsonValue | undefined {
  const kind = classifyLine(line);
  return kind.kind === 'request' ? kind.value.params : undefined;
}

function summarise(line: string): string {
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
