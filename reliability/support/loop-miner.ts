import { EventEmitter } from 'node:events';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { StratumClient } from '../../peers/stratum-client.js';
import { jobFromNotify, mineShare, submitParams } from '../../simulator/pool/test-support/cpu-miner.js';
import type { MinerJob } from '../../simulator/pool/test-support/cpu-miner.js';
import { codeOf, connectClient } from '../../simulator/pool/test-support/pool-harness.js';

export interface LoopMinerOptions {
  worker: string;
  /** Sends mining.extranonce.subscribe, so the proxy moves it with set_extranonce rather than dropping it. */
  extranonceSubscribe?: boolean;
  localAddress?: string;
}

export interface Outcome {
  id: number;
  jobId: string;
  code: number | null;
  /** The newest job the miner had when the answer came. */
  latestJobId: string;
}

/** Ids of the submits; the handshake's requests use small ones. */
const FIRST_SUBMIT_ID = 1000;

/**
 * A well-behaved miner that mines real shares (cpuminer's way) on whatever the pool or proxy last
 * sent it (set_difficulty, notify, set_extranonce, applied as they arrive), one submit at a time,
 * each with a fresh id, and records every answer. Its waits are on its own progress, not on time.
 */
export class LoopMiner {
  readonly outcomes: Outcome[] = [];
  extranonce1 = '';
  extranonce2Size = 0;
  private difficulty = 0;
  private job: MinerJob | undefined;
  private counter = 0;
  private nextId = FIRST_SUBMIT_ID;
  /** Answers per submit id, counted as they arrive (however many lines the client keeps). */
  private readonly answerCounts = new Map<number, number>();
  private readonly progress = new EventEmitter<{ step: [] }>();
  private running: Promise<void> | undefined;
  private inFlight: Promise<unknown> | undefined;
  private stopping = false;
  private paused = false;
  private resumeWaiter: (() => void) | undefined;
  private loopError: Error | undefined;

  private constructor(
    readonly client: StratumClient,
    readonly worker: string,
  ) {
    client.on('line', (line) => this.follow(line));
  }

  static async connect(port: number, o: LoopMinerOptions): Promise<LoopMiner> {
    const client = await connectClient(port, o.localAddress);
    const miner = new LoopMiner(client, o.worker);
    if (o.extranonceSubscribe) await client.request('mining.extranonce.subscribe', []);
    const sub = await client.request('mining.subscribe', ['loop-miner/1.0']);
    if (!Array.isArray(sub.result)) throw new Error(`subscribe refused: ${sub.line}`);
    miner.extranonce1 = String(sub.result[1]);
    miner.extranonce2Size = Number(sub.result[2]);
    const auth = await client.request('mining.authorize', [o.worker, 'x']);
    if (auth.result !== true) throw new Error(`authorize refused: ${auth.line}`);
    await client.notification('mining.notify');
    return miner;
  }

  get sent(): number {
    return this.outcomes.length;
  }

  get accepted(): number {
    return this.outcomes.filter((o) => o.code === null).length;
  }

  get latestJobId(): string {
    return this.job?.jobId ?? '';
  }

  /** Starts mining in the background. */
  start(): void {
    this.running ??= this.loop().catch((err: unknown) => {
      this.loopError = err instanceof Error ? err : new Error(String(err));
      this.progress.emit('step');
    });
  }

  /** Finishes the submit in flight, then waits until resumed. */
  async pause(): Promise<void> {
    this.paused = true;
    // At most one submit is outstanding; the loop checks `paused` before mining the next.
    await this.inFlight?.catch(() => undefined);
  }

  resume(): void {
    this.paused = false;
    this.resumeWaiter?.();
    this.resumeWaiter = undefined;
  }

  /** Waits until `n` more answers have come; rethrows what went wrong in the loop. */
  mineMore(n: number): Promise<void> {
    const target = this.sent + n;
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.loopError === undefined && this.sent < target) return;
        this.progress.off('step', check);
        if (this.loopError !== undefined) reject(this.loopError);
        else resolve();
      };
      this.progress.on('step', check);
      check();
    });
  }

  /** Stops after the submit in flight; rethrows anything that went wrong in the loop. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.resume();
    await this.running;
    if (this.loopError) throw this.loopError;
  }

  /** Ids sent that did not get exactly one answer. */
  unanswered(): { id: number; answers: number }[] {
    return this.outcomes
      .map((o) => ({ id: o.id, answers: this.answerCounts.get(o.id) ?? 0 }))
      .filter((x) => x.answers !== 1);
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      if (this.paused) {
        await new Promise<void>((r) => (this.resumeWaiter = r));
        continue;
      }
      const job = this.job;
      if (!job || this.client.isClosed) throw new Error(`${this.worker}: no job or connection closed`);
      this.counter += 1;
      const share = mineShare(job, {
        extranonce1: this.extranonce1,
        extranonce2: this.counter
          .toString(16)
          .padStart(this.extranonce2Size * 2, '0')
          .slice(-this.extranonce2Size * 2),
        difficulty: this.difficulty,
      });
      const id = this.nextId++;
      const answer = this.client.request('mining.submit', submitParams(this.worker, job.jobId, share), id);
      this.inFlight = answer;
      const { error } = await answer;
      this.outcomes.push({ id, jobId: job.jobId, code: codeOf({ error }), latestJobId: this.latestJobId });
      this.progress.emit('step');
      // Lets the connection's other lines (a new job, a close) in before the next share.
      await yieldToLoop();
    }
  }

  /** Applies what the pool or proxy sends, in order; counts the answers to submits. */
  private follow(line: string): void {
    let msg: { id?: unknown; method?: string; params?: unknown[] };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return;
    }
    const p = Array.isArray(msg.params) ? msg.params : [];
    if (msg.method === undefined) {
      if (typeof msg.id === 'number' && msg.id >= FIRST_SUBMIT_ID)
        this.answerCounts.set(msg.id, (this.answerCounts.get(msg.id) ?? 0) + 1);
    } else if (msg.method === 'mining.set_difficulty') this.difficulty = Number(p[0]);
    else if (msg.method === 'mining.notify') this.job = jobFromNotify(p);
    else if (msg.method === 'mining.set_extranonce') {
      this.extranonce1 = String(p[0]);
      this.extranonce2Size = Number(p[1]);
    }
  }
}
