import type { InMemoryLineEnd } from '../../../runtime/test-support/in-memory-line-pair.js';
import { assembleShare, prepareJob } from '../../../stratum/index.js';
import type { JobParams } from '../../../stratum/index.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface MinerRequest {
  id: number;
  method: string;
  /** For a submit: the header hash as the miner computes it, and its block. */
  share?: { hash: string; block: string };
}

export interface MinerAnswer {
  id: number;
  result: Json;
  error: Json;
}

/** The ways a test miner can submit. */
export type SubmitKind = 'valid' | 'duplicate' | 'other-case' | 'stale' | 'bad-extranonce2' | 'bad-ntime';

/**
 * A miner on the other end of an in-memory pair: sends requests with its own ids, keeps every
 * answer and notification, follows set_difficulty, notify and set_extranonce as firmware does,
 * and computes the header hash of each share it submits from its own view of the session.
 */
export class TestMiner {
  readonly requests = new Map<number, MinerRequest>();
  readonly answers = new Map<number, MinerAnswer[]>();
  readonly notifications: { method: string; params: Json[] }[] = [];
  /** Errors answering lines that carried no id. */
  readonly unattributed: Json[] = [];
  extranonce1: string | undefined;
  extranonce2Size: number | undefined;
  versionMask = 0;
  difficulty: number | undefined;
  readonly jobs = new Map<string, JobParams>();
  /** The extranonce1 each job was received under (set_extranonce applies to the jobs after it). */
  private readonly jobExtranonce1 = new Map<string, string | undefined>();
  latestJob: JobParams | undefined;
  /** Submit every share with extranonce2 1, as NerdMiner does (else it counts up per share). */
  fixedExtranonce2 = false;
  private nextId = 1;
  private counter = 0;
  private lastSubmit: string[] | undefined;
  private readonly oldJobs: string[] = [];

  constructor(
    readonly end: InMemoryLineEnd,
    readonly name: string,
  ) {
    end.on('line', (line) => this.onLine(line));
  }

  get isClosed(): boolean {
    return this.end.isClosed;
  }

  send(method: string, params: Json[]): number {
    const id = this.nextId++;
    this.requests.set(id, { id, method });
    this.end.send(JSON.stringify({ id, method, params }));
    return id;
  }

  answer(id: number): MinerAnswer | undefined {
    return this.answers.get(id)?.[0];
  }

  /** Requests with no answer yet. */
  unanswered(): MinerRequest[] {
    return [...this.requests.values()].filter((r) => !this.answers.has(r.id));
  }

  subscribe(userAgent = 'NerdMinerV2/V1.8.3'): number {
    return this.send('mining.subscribe', [userAgent]);
  }

  authorize(user = this.name, password = 'x'): number {
    return this.send('mining.authorize', [user, password]);
  }

  configure(mask = 'ffffffff'): number {
    return this.send('mining.configure', [['version-rolling'], { 'version-rolling.mask': mask }]);
  }

  extranonceSubscribe(): number {
    return this.send('mining.extranonce.subscribe', []);
  }

  suggestDifficulty(difficulty: number): number {
    return this.send('mining.suggest_difficulty', [difficulty]);
  }

  /** A share of the given kind on the latest job (undefined when the miner has nothing to submit). */
  submit(kind: SubmitKind, user = this.name): number | undefined {
    let params: string[];
    if (kind === 'duplicate' || kind === 'other-case') {
      if (!this.lastSubmit) return undefined;
      params =
        kind === 'other-case'
          ? this.lastSubmit.map((p, i) => (i >= 2 ? p.toUpperCase() : p))
          : this.lastSubmit;
    } else {
      const jobId = kind === 'stale' ? this.oldJobs[0] : this.latestJob?.jobId;
      if (jobId === undefined || this.extranonce2Size === undefined) return undefined;
      this.counter += 1;
      const size = kind === 'bad-extranonce2' ? this.extranonce2Size + 1 : this.extranonce2Size;
      const rolled = this.fixedExtranonce2 ? 1 : this.counter % 2 ** Math.min(48, size * 8);
      const extranonce2 = rolled.toString(16).padStart(size * 2, '0');
      const ntime = kind === 'bad-ntime' ? '00000001' : (this.jobs.get(jobId)?.ntime ?? '66000000');
      const nonce = ((this.counter * 2654435761) >>> 0).toString(16).padStart(8, '0');
      params = [user, jobId, extranonce2, ntime, nonce];
      if (kind === 'valid') this.lastSubmit = params;
    }
    const id = this.send('mining.submit', params);
    const share =
      kind === 'valid' || kind === 'duplicate' || kind === 'other-case' ? this.hashOf(params) : undefined;
    if (share) (this.requests.get(id) as MinerRequest).share = share;
    return id;
  }

  /**
   * The header these submit params describe, as this miner sees its session now: the job as it
   * was received, under the extranonce1 in force when it was received.
   */
  private hashOf(params: string[]): { hash: string; block: string } | undefined {
    const [, jobId = '', extranonce2 = '', ntime = '', nonce = ''] = params.map((p) => p.toLowerCase());
    const job = this.jobs.get(jobId);
    const extranonce1 = this.jobExtranonce1.get(jobId);
    if (!job || extranonce1 === undefined || extranonce2.length !== (this.extranonce2Size ?? 0) * 2)
      return undefined;
    const share = assembleShare({ job: prepareJob(job), extranonce1, submit: { extranonce2, ntime, nonce } });
    return { hash: share.hash.toString('hex'), block: job.prevhash };
  }

  close(): void {
    this.end.close();
  }

  private onLine(line: string): void {
    const msg = JSON.parse(line) as {
      id: Json;
      method?: string;
      params?: Json[];
      result?: Json;
      error?: Json;
    };
    if (typeof msg.method === 'string') return this.onNotification(msg.method, msg.params ?? []);
    // An error with no id answers a line that was not a request (not JSON, say).
    if (msg.id === null || msg.id === undefined) return void this.unattributed.push(msg.error ?? null);
    const id = Number(msg.id);
    const answer: MinerAnswer = { id, result: msg.result ?? null, error: msg.error ?? null };
    const list = this.answers.get(id);
    if (list) list.push(answer);
    else this.answers.set(id, [answer]);
    const request = this.requests.get(id);
    if (request?.method === 'mining.subscribe' && Array.isArray(answer.result)) {
      this.extranonce1 = answer.result[1] as string;
      this.extranonce2Size = answer.result[2] as number;
    }
    if (request?.method === 'mining.configure' && answer.result && typeof answer.result === 'object') {
      const mask = (answer.result as Record<string, Json>)['version-rolling.mask'];
      this.versionMask = typeof mask === 'string' ? Number.parseInt(mask, 16) : 0;
    }
  }

  private onNotification(method: string, params: Json[]): void {
    this.notifications.push({ method, params });
    if (method === 'mining.set_difficulty') this.difficulty = params[0] as number;
    else if (method === 'mining.set_extranonce') {
      this.extranonce1 = params[0] as string;
      this.extranonce2Size = params[1] as number;
    } else if (method === 'mining.notify') {
      const [jobId, prevhash, coinb1, coinb2, merkleBranches, version, nbits, ntime, cleanJobs] = params;
      const job: JobParams = {
        jobId: jobId as string,
        prevhash: prevhash as string,
        coinb1: coinb1 as string,
        coinb2: coinb2 as string,
        merkleBranches: merkleBranches as string[],
        version: version as string,
        nbits: nbits as string,
        ntime: ntime as string,
        cleanJobs: cleanJobs as boolean,
      };
      if (job.cleanJobs) {
        for (const id of this.jobs.keys()) if (id !== job.jobId) this.oldJobs.unshift(id);
        this.oldJobs.splice(8);
        this.jobs.clear();
        this.jobExtranonce1.clear();
      }
      this.jobs.set(job.jobId, job);
      this.jobExtranonce1.set(job.jobId, this.extranonce1);
      this.latestJob = job;
    }
  }
}
