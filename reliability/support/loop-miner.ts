import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { jobFromNotify, mineShare, submitParams } from '../../simulator/pool/test-support/cpu-miner.js';
import type { MinerJob } from '../../simulator/pool/test-support/cpu-miner.js';
import { RawClient, codeOf } from './raw-client.js';

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

/**
 * A well-behaved miner that mines real shares (cpuminer's way) on whatever the pool or proxy last
 * sent it (set_difficulty, notify, set_extranonce, applied in order), one submit at a time, each
 * with a fresh id, and records every answer.
 */
export class LoopMiner {
  readonly outcomes: Outcome[] = [];
  extranonce1 = '';
  extranonce2Size = 0;
  private difficulty = 0;
  private job: MinerJob | undefined;
  private followed = 0;
  private counter = 0;
  private nextId = 1000;
  private running: Promise<void> | undefined;
  private stopping = false;
  private paused = false;
  private resumeWaiter: (() => void) | undefined;
  private loopError: Error | undefined;
  private inFlight = false;

  private constructor(
    readonly client: RawClient,
    readonly worker: string,
  ) {}

  static async connect(port: number, o: LoopMinerOptions): Promise<LoopMiner> {
    const client = await RawClient.connect(port, o.localAddress);
    const miner = new LoopMiner(client, o.worker);
    if (o.extranonceSubscribe) await client.request('mining.extranonce.subscribe', []);
    const sub = await client.request('mining.subscribe', ['loop-miner/1.0']);
    if (!Array.isArray(sub.result)) throw new Error(`subscribe refused: ${sub.line}`);
    miner.extranonce1 = String(sub.result[1]);
    miner.extranonce2Size = Number(sub.result[2]);
    const auth = await client.request('mining.authorize', [o.worker, 'x']);
    if (auth.result !== true) throw new Error(`authorize refused: ${auth.line}`);
    await client.notification('mining.notify');
    miner.follow();
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
    });
  }

  /** Finishes the submit in flight, then waits until resumed. */
  async pause(): Promise<void> {
    this.paused = true;
    // At most one submit is outstanding; the loop checks `paused` before mining the next.
    while (this.inFlight && !this.loopError) await new Promise((r) => setTimeout(r, 2));
  }

  resume(): void {
    this.paused = false;
    this.resumeWaiter?.();
    this.resumeWaiter = undefined;
  }

  /** Waits until `n` more answers have come (bounded by the client's waits). */
  async mineMore(n: number): Promise<void> {
    const target = this.sent + n;
    while (this.sent < target) {
      if (this.loopError) throw this.loopError;
      await new Promise((r) => setTimeout(r, 5));
    }
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
      .map((o) => ({ id: o.id, answers: this.client.answersTo(o.id).length }))
      .filter((x) => x.answers !== 1);
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      if (this.paused) {
        await new Promise<void>((r) => (this.resumeWaiter = r));
        continue;
      }
      this.follow();
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
      this.inFlight = true;
      const answer = await this.client.request(
        'mining.submit',
        submitParams(this.worker, job.jobId, share),
        id,
      );
      this.inFlight = false;
      this.follow();
      this.outcomes.push({ id, jobId: job.jobId, code: codeOf(answer), latestJobId: this.latestJobId });
      await yieldToLoop();
    }
  }

  /** Applies what arrived since last time, in order. */
  private follow(): void {
    const lines = this.client.lines;
    for (; this.followed < lines.length; this.followed += 1) {
      let msg: { method?: string; params?: unknown[] };
      try {
        msg = JSON.parse(lines[this.followed] as string) as typeof msg;
      } catch {
        continue;
      }
      const p = Array.isArray(msg.params) ? msg.params : [];
      if (msg.method === 'mining.set_difficulty') this.difficulty = Number(p[0]);
      else if (msg.method === 'mining.notify') this.job = jobFromNotify(p);
      else if (msg.method === 'mining.set_extranonce') {
        this.extranonce1 = String(p[0]);
        this.extranonce2Size = Number(p[1]);
      }
    }
  }
}
