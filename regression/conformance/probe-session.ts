import type { Clock } from '../../runtime/clock.js';
import type { Logger } from '../../runtime/logger.js';
import { StratumError, parseMessage, u32ToHex } from '../../stratum/index.js';
import type { JsonValue } from '../../stratum/index.js';
import type { ShareGoal } from '../mining/share-miner.js';
import { mineShare } from '../mining/share-miner.js';
import type { TrackedJob } from '../mining/work-tracker.js';
import { WorkTracker } from '../mining/work-tracker.js';
import type { HostPort } from '../../peers/host-port.js';
import { StratumClient } from '../../peers/stratum-client.js';
import type { TranscriptEntry } from '../../peers/stratum-client.js';
import { classifyLine, idKey } from '../replay/line-kind.js';

export interface Answer {
  result: JsonValue;
  error: JsonValue;
  line: string;
}

export interface ProbeSettings {
  target: HostPort;
  clock: Clock;
  logger: Logger;
  timeoutMs: number;
  hashBudget: number;
  worker: string;
  password: string;
  /** Sent before authorize when > 0. */
  suggestDifficulty: number;
}

/** A share ready to submit: canonical lowercase hex, as the stratum core reads them. */
export interface ProbeShare {
  jobId: string;
  extranonce2: string;
  ntime: string;
  nonce: string;
  versionBits?: string;
  difficulty: number;
}

/**
 * One conformance connection: numbered requests and their answers, the session's work (from the
 * target's own lines) and share mining against it. Everything it sends and receives is in the
 * transcript, which is where each check's evidence comes from.
 */
export class ProbeSession {
  readonly tracker = new WorkTracker();
  private readonly answers = new Map<string, Answer>();
  private readonly methods = new Map<string, string>();
  private nextId = 1;
  private en2Counter = 0;
  private firstNotifyAt: number | undefined;
  private firstDifficultyAt: number | undefined;

  private constructor(
    readonly client: StratumClient,
    readonly settings: ProbeSettings,
  ) {
    client.on('line', (line) => this.onLine(line));
  }

  static async open(label: string, settings: ProbeSettings): Promise<ProbeSession> {
    const client = await StratumClient.connect(settings.target, {
      clock: settings.clock,
      logger: settings.logger,
      label,
    });
    return new ProbeSession(client, settings);
  }

  get label(): string {
    return this.client.label;
  }

  get transcript(): readonly TranscriptEntry[] {
    return this.client.transcript;
  }

  /** True when the first mining.set_difficulty came before the first mining.notify. */
  get difficultyCameFirst(): boolean | undefined {
    if (this.firstNotifyAt === undefined) return undefined;
    return this.firstDifficultyAt !== undefined && this.firstDifficultyAt < this.firstNotifyAt;
  }

  /** Sends a request with a fresh id; resolves with its answer, or undefined after the timeout. */
  async request(
    method: string,
    params: JsonValue[],
    timeoutMs = this.settings.timeoutMs,
  ): Promise<Answer | undefined> {
    const id = this.send(method, params);
    return this.answer(id, timeoutMs);
  }

  /** Sends a request without waiting; returns its id. */
  send(method: string, params: JsonValue[]): number {
    const id = this.nextId;
    this.nextId += 1;
    this.methods.set(idKey(id), method);
    this.client.sendLine(JSON.stringify({ id, method, params }));
    return id;
  }

  /** Sends a raw line (which may carry its own id, registered here as `method`). */
  sendRaw(line: string, id?: number, method?: string): void {
    if (id !== undefined && method !== undefined) this.methods.set(idKey(id), method);
    this.client.sendLine(line);
  }

  freshId(): number {
    const id = this.nextId;
    this.nextId += 1;
    return id;
  }

  /** The answer to `id` if it has come. */
  answered(id: number): Answer | undefined {
    return this.answers.get(idKey(id));
  }

  answer(id: number, timeoutMs = this.settings.timeoutMs): Promise<Answer | undefined> {
    return this.client.waitFor(() => this.answers.get(idKey(id)), timeoutMs);
  }

  /** subscribe, suggest_difficulty (not awaited), authorize: the answers, or undefined when missing. */
  async subscribe(): Promise<Answer | undefined> {
    return this.request('mining.subscribe', ['karoo-conformance/1']);
  }

  async authorize(): Promise<Answer | undefined> {
    if (this.settings.suggestDifficulty > 0)
      this.send('mining.suggest_difficulty', [this.settings.suggestDifficulty]);
    return this.request('mining.authorize', [this.settings.worker, this.settings.password]);
  }

  /** The first job (or one after `afterSeq`), within the timeout. */
  waitForJob(afterSeq = 0, timeoutMs = this.settings.timeoutMs): Promise<TrackedJob | undefined> {
    return this.client.waitFor(() => {
      const latest = this.tracker.latest;
      return latest !== undefined && latest.seq > afterSeq ? latest : undefined;
    }, timeoutMs);
  }

  /** The next clean_jobs notify after `afterSeq`. */
  waitForCleanJob(afterSeq: number, timeoutMs: number): Promise<TrackedJob | undefined> {
    return this.client.waitFor(() => {
      const latest = this.tracker.latest;
      return latest !== undefined && latest.seq > afterSeq && latest.params.cleanJobs ? latest : undefined;
    }, timeoutMs);
  }

  /** A fresh extranonce2 of `bytes` bytes (the session's size by default), with hex letters in it. */
  extranonce2(bytes = this.tracker.extranonce2Size ?? 4): string {
    this.en2Counter += 1;
    return ((0xc0ffee00 + this.en2Counter) >>> 0)
      .toString(16)
      .padStart(bytes * 2, '0')
      .slice(-bytes * 2);
  }

  /**
   * Mines a share for `job` that the target should accept ('accept': meets every difficulty it may
   * judge by) or refuse as low ('refuse'). Undefined when the hashing budget ran out.
   */
  async mine(
    job: TrackedJob,
    goal: 'accept' | 'refuse',
    o: { extranonce2?: string; ntime?: string; version?: number; versionBits?: number } = {},
  ): Promise<ProbeShare | undefined> {
    const { extranonce1 } = this.tracker;
    if (extranonce1 === undefined) return undefined;
    const req = this.tracker.requirement(job.params.jobId);
    const target: ShareGoal = goal === 'accept' ? { atLeast: req.accept } : { below: req.refuse };
    const extranonce2 = o.extranonce2 ?? this.extranonce2();
    const mined = await mineShare({
      job: job.params,
      extranonce1,
      extranonce2,
      ...(o.ntime === undefined ? {} : { ntime: o.ntime }),
      ...(o.version === undefined ? {} : { version: o.version }),
      goal: target,
      startNonce: Math.imul(this.en2Counter + 1, 0x9e3779b1) >>> 0,
      budget: this.settings.hashBudget,
    });
    const wanted = 'atLeast' in target ? `>= ${target.atLeast}` : `< ${target.below}`;
    if (mined === undefined) {
      this.client.note(`no share of difficulty ${wanted} in ${this.settings.hashBudget} hashes`);
      return undefined;
    }
    this.client.note(
      `mined job ${job.params.jobId}: extranonce2 ${extranonce2}, nonce ${mined.nonce}, difficulty ${mined.difficulty.toPrecision(4)} (wanted ${wanted}), ${mined.hashes} hashes`,
    );
    return {
      jobId: job.params.jobId,
      extranonce2,
      ntime: mined.ntime,
      nonce: mined.nonce,
      ...(o.versionBits === undefined ? {} : { versionBits: u32ToHex(o.versionBits) }),
      difficulty: mined.difficulty,
    };
  }

  /** Submits a share (fields as given, so callers may change case or job id). */
  submit(share: Omit<ProbeShare, 'difficulty'>): Promise<Answer | undefined> {
    const params: JsonValue[] = [
      this.settings.worker,
      share.jobId,
      share.extranonce2,
      share.ntime,
      share.nonce,
    ];
    if (share.versionBits !== undefined) params.push(share.versionBits);
    return this.request('mining.submit', params);
  }

  close(): void {
    this.client.destroy();
  }

  private onLine(line: string): void {
    const kind = classifyLine(line);
    if (kind.kind === 'answer') {
      const key = idKey(kind.id);
      // Only answers to requests this session made are kept (bounded by what it sent).
      if (this.methods.has(key) && !this.answers.has(key)) {
        this.answers.set(key, { result: kind.value.result ?? null, error: kind.value.error ?? null, line });
      }
      this.feed(line, this.methods.get(key));
      return;
    }
    if (kind.kind === 'request') {
      if (kind.method === 'mining.notify' && this.firstNotifyAt === undefined)
        this.firstNotifyAt = this.client.receivedCount;
      if (kind.method === 'mining.set_difficulty' && this.firstDifficultyAt === undefined) {
        this.firstDifficultyAt = this.client.receivedCount;
      }
      this.feed(line, undefined);
    }
  }

  private feed(line: string, answers: string | undefined): void {
    try {
      this.tracker.onPoolMessage(parseMessage(line), answers);
    } catch (err) {
      if (!(err instanceof StratumError)) throw err;
    }
  }
}

/** The Stratum error code of an answer (null: no error). */
export function codeOf(answer: Answer | undefined): number | null | undefined {
  if (answer === undefined) return undefined;
  const e = answer.error;
  if (e === null) return null;
  if (Array.isArray(e) && typeof e[0] === 'number') return e[0];
  if (typeof e === 'object' && !Array.isArray(e) && typeof e.code === 'number') return e.code;
  return -1;
}

/** Accepted: result true and no error. */
export function accepted(answer: Answer | undefined): boolean {
  return answer !== undefined && answer.error === null && answer.result === true;
}
