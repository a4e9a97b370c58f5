import type { Clock } from '../../runtime/clock.js';
import { systemClock } from '../../runtime/clock.js';
import type { Logger } from '../../runtime/logger.js';
import { silentLogger } from '../../runtime/logger.js';
import { StratumError, parseMessage, u32FromHex, u32ToHex } from '../../stratum/index.js';
import type { JobParams, StratumMessage } from '../../stratum/index.js';
import { DEFAULT_HASH_BUDGET, mineShare, rolledVersion } from '../mining/share-miner.js';
import { WorkTracker } from '../mining/work-tracker.js';
import type { HostPort } from '../../peers/host-port.js';
import { formatStratumUrl } from '../../peers/host-port.js';
import { StratumClient } from '../../peers/stratum-client.js';
import type { Recording } from '../../recording/format.js';
import { paramSpans, replaceSpans, topLevelSpans } from '../../recording/json-spans.js';
import { restorePassword } from '../../recording/redact.js';
import { evaluateReplay } from './evaluate.js';
import type { LiveEvent } from './evaluate.js';
import type { LineKind } from './line-kind.js';
import {
  OccurrenceCounter,
  answerKey,
  classifyLine,
  garbageKey,
  idKey,
  notificationKey,
} from './line-kind.js';
import type { ReplayPlan, Step } from './replay-plan.js';
import { planReplay } from './replay-plan.js';
import type { ReplayFinding, ReplayReport } from './replay-report.js';
import type { SubmitPlan } from './submit-plan.js';
import { applyFormat } from './submit-plan.js';

/** How long a replay waits for each line the recording says must come (answers and notifications). */
export const DEFAULT_REPLAY_TIMEOUT_MS = 10_000;
/** Lines from the target a replay keeps; a target that floods past it is reported, not stored. */
export const DEFAULT_MAX_LIVE_LINES = 100_000;

/** What the replay may ask of the target where the recording shows its driver acted (marks). */
export interface TargetHooks {
  newJob?: () => void | Promise<void>;
  newBlock?: () => void | Promise<void>;
}

export interface ReplayOptions {
  target: HostPort;
  /** Sent where the recording has a redacted mining.authorize password. */
  password?: string;
  timeoutMs?: number;
  /** Hashes tried per re-mined share. */
  hashBudget?: number;
  hooks?: TargetHooks;
  clock?: Clock;
  logger?: Logger;
}

interface Share {
  jobId: string;
  extranonce2: string;
  ntime: string;
  nonce: string;
  versionBits?: string;
}

/**
 * Replays the miner's side of a recording against a pool or proxy and compares what comes back
 * with what was recorded, by the rules in regression/README.md. Never throws for a target that
 * misbehaves; a target that cannot be reached gives a report with one failed finding.
 */
export async function replayRecording(recording: Recording, options: ReplayOptions): Promise<ReplayReport> {
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  const plan = planReplay(recording);
  const target = formatStratumUrl(options.target);
  const log = (options.logger ?? silentLogger()).child({ recording: recording.name, target });
  let client: StratumClient;
  try {
    client = await StratumClient.connect(options.target, { clock, logger: log, label: recording.name });
  } catch (err) {
    const finding: ReplayFinding = {
      rule: 'close',
      ok: false,
      what: 'connect to the target',
      expected: 'a connection',
      got: (err as Error).message,
    };
    return emptyReport(recording.name, target, startedAt, clock, plan, finding);
  }
  const replayer = new Replayer(plan, client, options, clock);
  try {
    await replayer.run();
  } finally {
    client.destroy();
  }
  const evaluation = evaluateReplay(plan, replayer.live, client, replayer.poolCloseStep);
  const findings = [...replayer.findings, ...evaluation.findings];
  return {
    recording: recording.name,
    target,
    passed: findings.every((f) => f.ok),
    startedAt: new Date(startedAt).toISOString(),
    durationMs: clock.now() - startedAt,
    findings,
    notes: [...plan.notes, ...replayer.notes, ...evaluation.notes],
    stats: {
      ...replayer.stats,
      expectedLines: plan.expected.length,
      matchedLines: evaluation.matched,
      liveLines: replayer.live.size,
    },
    transcript: client.transcript,
  };
}

class Replayer {
  readonly live = new Map<string, LiveEvent>();
  readonly findings: ReplayFinding[] = [];
  readonly notes: string[] = [];
  readonly stats = { minerLinesSent: 0, submits: 0, reMined: 0, sentAsRecorded: 0, hashes: 0 };
  /** The step at which the recording says the pool closed, once reached. */
  poolCloseStep: number | undefined;
  private readonly tracker = new WorkTracker();
  private readonly answerCount = new OccurrenceCounter();
  private readonly methodCount = new OccurrenceCounter();
  private readonly sentMethods = new Map<string, string>();
  private readonly shares = new Map<number, Share>();
  private readonly timeoutMs: number;
  private garbage = 0;
  private order = 0;
  private nextExpected = 0;
  private readonly pending: string[] = [];
  private en2Counter = 0;
  private warnedNoHooks = false;
  private warnedFlood = false;

  constructor(
    private readonly plan: ReplayPlan,
    private readonly client: StratumClient,
    private readonly options: ReplayOptions,
    private readonly clock: Clock,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_REPLAY_TIMEOUT_MS;
    client.on('line', (line) => this.onLine(line));
  }

  async run(): Promise<void> {
    for (const step of this.plan.steps) {
      await this.awaitExpectedBefore(step.index);
      if (step.kind === 'pool-close') {
        this.poolCloseStep = step.index;
        // A target that keeps it open is reported by the evaluation, not here.
        await this.client.waitFor(() => (this.client.isClosed ? true : undefined), this.timeoutMs, false);
        return;
      }
      if (this.client.isClosed) {
        if (this.client.closeReason !== 'local') {
          this.findings.push({
            rule: 'close',
            ok: false,
            what: 'connection open while the miner still had lines to send',
            expected: `the connection open until record ${step.index}`,
            got: `the target closed it (${this.client.closeReason ?? 'closed'})`,
            index: step.index,
          });
        }
        return;
      }
      await this.take(step);
    }
    await this.awaitExpectedBefore(Number.POSITIVE_INFINITY);
  }

  private async take(step: Exclude<Step, { kind: 'pool-close' }>): Promise<void> {
    switch (step.kind) {
      case 'send': {
        const line = await this.transform(step);
        if (step.request !== undefined) this.sentMethods.set(step.request.key, step.request.method);
        if (this.client.sendLine(line)) this.stats.minerLinesSent += 1;
        return;
      }
      case 'oversize':
        this.client.note(`replaying a line over ${step.bytes} bytes`);
        this.client.sendLine('x'.repeat(step.bytes + 1));
        return;
      case 'mark': {
        const hook = step.event === 'new-block' ? this.options.hooks?.newBlock : this.options.hooks?.newJob;
        if (hook === undefined) {
          if (!this.warnedNoHooks) {
            this.notes.push(
              `the recording marks a ${step.event} but no hook was given: waiting for the target's own work`,
            );
            this.warnedNoHooks = true;
          }
        } else {
          this.client.note(`asking the target for a ${step.event}`);
          await hook();
        }
        const reaction = step.reaction;
        if (reaction !== undefined) {
          await this.client.waitFor(() => (this.live.has(reaction) ? true : undefined), this.timeoutMs);
        }
        return;
      }
      case 'miner-close':
        this.client.destroy();
        return;
    }
  }

  /** Waits (bounded) for every recorded pool line before `index` not yet seen live. */
  private async awaitExpectedBefore(index: number): Promise<void> {
    const expected = this.plan.expected;
    while (this.nextExpected < expected.length && (expected[this.nextExpected]?.index ?? 0) < index) {
      this.pending.push((expected[this.nextExpected] as { key: string }).key);
      this.nextExpected += 1;
    }
    const missing = (): boolean => this.pending.some((k) => !this.live.has(k));
    if (!missing()) {
      this.pending.length = 0;
      return;
    }
    await this.client.waitFor(() => (missing() ? undefined : true), this.timeoutMs);
    // What did not come in time is reported at the end; the replay goes on without it.
    this.pending.length = 0;
  }

  private onLine(line: string): void {
    if (this.live.size >= DEFAULT_MAX_LIVE_LINES) {
      if (!this.warnedFlood)
        this.notes.push(`the target sent more than ${DEFAULT_MAX_LIVE_LINES} lines; later ones were ignored`);
      this.warnedFlood = true;
      return;
    }
    const kind = classifyLine(line);
    this.order += 1;
    let key: string;
    let method: string | undefined;
    if (kind.kind === 'answer') {
      const n = this.answerCount.next(idKey(kind.id));
      key = answerKey(kind.id, n);
      method = this.sentMethods.get(`request ${idKey(kind.id)} #${n}`);
    } else if (kind.kind === 'request') {
      key = notificationKey(kind.method, this.methodCount.next(kind.method));
      method = kind.method;
    } else {
      this.garbage += 1;
      key = garbageKey(this.garbage);
    }
    this.live.set(key, { key, order: this.order, line, kind, method, at: this.clock.now() });
    const msg = parsed(line);
    if (msg !== undefined) this.tracker.onPoolMessage(msg, method);
  }

  private async transform(step: Extract<Step, { kind: 'send' }>): Promise<string> {
    let line = step.line;
    if (this.options.password !== undefined) line = restorePassword(line, this.options.password);
    if (step.replyTo !== undefined) {
      const asked = this.live.get(step.replyTo);
      const span = topLevelSpans(line).get('id');
      if (asked?.kind.kind === 'request' && span !== undefined) {
        line = replaceSpans(line, [{ span, text: JSON.stringify(asked.kind.id) }]);
      }
    }
    if (step.submit !== undefined)
      line = await this.remine(step.index, line, step.submit.plan, step.submit.position);
    return line;
  }

  /** The recorded share rebuilt for the live session, keeping what made it accepted or refused. */
  private async remine(index: number, line: string, plan: SubmitPlan, position: number): Promise<string> {
    this.stats.submits += 1;
    if (plan.goal === 'as-recorded') {
      this.stats.sentAsRecorded += 1;
      return line;
    }
    const fail = (got: string): string => {
      this.findings.push({
        rule: 're-mine',
        ok: false,
        what: `re-mine the share of record ${index}`,
        expected: 'a share for the live job',
        got,
        index,
      });
      this.stats.sentAsRecorded += 1;
      return line;
    };
    const notify = plan.notifyKey === undefined ? undefined : this.live.get(plan.notifyKey);
    const job = notify === undefined ? undefined : jobOf(notify.line);
    if (job === undefined) return fail(`no live counterpart of ${plan.notifyKey ?? 'its job'}`);
    const { extranonce1, extranonce2Size } = this.tracker;
    if (extranonce1 === undefined || extranonce2Size === undefined)
      return fail('the target gave no extranonce');
    const mask = this.tracker.versionMask;
    let share = plan.duplicateOf === undefined ? undefined : this.shares.get(plan.duplicateOf);
    if (share === undefined && sameWork(plan, job, extranonce1, extranonce2Size, mask)) {
      this.shares.set(position, recordedShare(line));
      this.stats.sentAsRecorded += 1;
      return line;
    }
    if (share === undefined) {
      share = await this.mine(plan, job, extranonce1, extranonce2Size, mask, index);
      if (share === undefined) return line;
      this.stats.reMined += 1;
    }
    this.shares.set(position, share);
    return writeShare(line, share, plan);
  }

  private async mine(
    plan: SubmitPlan,
    job: JobParams,
    extranonce1: string,
    size: number,
    mask: number,
    index: number,
  ): Promise<Share | undefined> {
    this.en2Counter += 1;
    const bytes = extranonce2Length(size, plan.extranonce2Delta);
    const extranonce2 = (0xa5000000 + this.en2Counter)
      .toString(16)
      .padStart(bytes * 2, '0')
      .slice(-bytes * 2);
    const ntime = u32ToHex(u32FromHex(job.ntime) + plan.ntimeDelta);
    const bits = plan.versionBits === undefined ? undefined : liveVersionBits(plan.versionBits, mask);
    const requirement = this.tracker.requirement(job.jobId);
    const goal = plan.goal === 'meet' ? { atLeast: requirement.accept } : { below: requirement.refuse };
    const budget = this.options.hashBudget ?? DEFAULT_HASH_BUDGET;
    const mined = await mineShare({
      job,
      extranonce1,
      extranonce2,
      ntime,
      ...(bits === undefined ? {} : { version: rolledVersion(u32FromHex(job.version), bits, mask) }),
      goal,
      startNonce: Math.imul(this.en2Counter, 0x9e3779b1) >>> 0,
      budget,
    });
    if (mined === undefined) {
      const what = 'atLeast' in goal ? `difficulty >= ${goal.atLeast}` : `difficulty < ${goal.below}`;
      this.findings.push({
        rule: 're-mine',
        ok: false,
        what: `re-mine the share of record ${index}`,
        expected: `a share of ${what}`,
        got: `none in ${budget} hashes (raise --hash-budget or lower the target's difficulty)`,
        index,
      });
      return undefined;
    }
    this.stats.hashes += mined.hashes;
    this.client.note(
      `re-mined record ${index}: nonce ${mined.nonce}, difficulty ${mined.difficulty.toPrecision(4)} (${'atLeast' in goal ? 'meets' : 'below'} ${'atLeast' in goal ? goal.atLeast : goal.below})`,
    );
    return {
      jobId: job.jobId,
      extranonce2,
      ntime,
      nonce: mined.nonce,
      ...(bits === undefined ? {} : { versionBits: u32ToHex(bits) }),
    };
  }
}

function parsed(line: string): StratumMessage | undefined {
  try {
    return parseMessage(line);
  } catch (err) {
    if (!(err instanceof StratumError)) throw err;
    return undefined;
  }
}

function jobOf(line: string): JobParams | undefined {
  const msg = parsed(line);
  return msg?.type === 'request' && msg.method === 'mining.notify' ? msg.params : undefined;
}

function sameWork(plan: SubmitPlan, job: JobParams, en1: string, size: number, mask: number): boolean {
  const r = plan.recorded;
  if (r === undefined || r.extranonce1 !== en1 || r.extranonce2Size !== size || r.versionMask !== mask)
    return false;
  const strip = (j: JobParams): string => JSON.stringify({ ...j, cleanJobs: false });
  return strip(r.job) === strip(job);
}

function recordedShare(line: string): Share {
  const msg = parsed(line);
  if (msg?.type !== 'request' || msg.method !== 'mining.submit') throw new Error('not a submit');
  const { jobId, extranonce2, ntime, nonce, versionBits } = msg.params;
  return { jobId, extranonce2, ntime, nonce, ...(versionBits === undefined ? {} : { versionBits }) };
}

/** The live share written into the recorded line, each field formatted as recorded. */
function writeShare(line: string, share: Share, plan: SubmitPlan): string {
  const spans = paramSpans(line);
  if (spans === undefined || spans.length < 5) return line;
  const f = plan.formats;
  const text = (s: string): string => JSON.stringify(s);
  const edits = [
    { span: spans[1] as readonly [number, number], text: text(share.jobId) },
    {
      span: spans[2] as readonly [number, number],
      text: text(applyFormat(share.extranonce2, f.extranonce2, false)),
    },
    { span: spans[3] as readonly [number, number], text: text(applyFormat(share.ntime, f.ntime)) },
    { span: spans[4] as readonly [number, number], text: text(applyFormat(share.nonce, f.nonce)) },
  ];
  if (spans[5] !== undefined && share.versionBits !== undefined) {
    edits.push({ span: spans[5], text: text(applyFormat(share.versionBits, f.versionBits)) });
  }
  return replaceSpans(line, edits);
}

/** The session's size, or a wrong length that stays wrong (and 1 to 16 bytes). */
export function extranonce2Length(size: number, delta: number): number {
  if (delta === 0) return size;
  const n = size + delta;
  if (n >= 1 && n <= 16) return n;
  return size > 1 ? size - 1 : size + 1;
}

/** Version bits for the live mask: inside it when the recorded ones were inside, outside when outside. */
export function liveVersionBits(recorded: { bits: number; outsideMask: boolean }, mask: number): number {
  const lowest = (x: number): number => (x & -x) >>> 0;
  if (recorded.outsideMask) {
    return (recorded.bits & ~mask) >>> 0 !== 0
      ? recorded.bits >>> 0
      : (recorded.bits | lowest(~mask >>> 0)) >>> 0;
  }
  const inside = (recorded.bits & mask) >>> 0;
  if (inside === 0 && recorded.bits !== 0 && mask !== 0) return lowest(mask);
  return inside;
}

function emptyReport(
  name: string,
  target: string,
  startedAt: number,
  clock: Clock,
  plan: ReplayPlan,
  finding: ReplayFinding,
): ReplayReport {
  return {
    recording: name,
    target,
    passed: false,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: clock.now() - startedAt,
    findings: [finding],
    notes: plan.notes,
    stats: {
      minerLinesSent: 0,
      submits: 0,
      reMined: 0,
      sentAsRecorded: 0,
      hashes: 0,
      expectedLines: plan.expected.length,
      matchedLines: 0,
      liveLines: 0,
    },
    transcript: [],
  };
}

export type { LineKind };
