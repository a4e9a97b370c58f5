import type { Duplex } from 'node:stream';
import { LineFramer } from '../../../stratum/line-framer.js';
import type { FoundShare, MinerJob } from '../../../simulator/pool/test-support/cpu-miner.js';
import { jobFromNotify, mineShare, submitParams } from '../../../simulator/pool/test-support/cpu-miner.js';

export const LINE_CLIENT_WAIT_MS = 15_000;

type Json = Record<string, unknown>;

/**
 * A Stratum client over any byte stream (a TLS socket, a WebSocket seen as lines): send requests,
 * await answers by id and notifications by method. For the TLS and WebSocket listener tests.
 */
export class LineClient {
  readonly received: Json[] = [];
  private readonly framer = new LineFramer(1024 * 1024);
  private readonly consumed = new Map<string, number>();
  private readonly waiters = new Set<() => void>();
  private nextId = 1;
  private ended = false;

  constructor(private readonly stream: Duplex) {
    stream.on('data', (chunk: Buffer) => {
      for (const ev of this.framer.push(chunk)) {
        if (ev.kind === 'line') this.received.push(JSON.parse(ev.line) as Json);
      }
      this.poke();
    });
    stream.on('close', () => {
      this.ended = true;
      this.poke();
    });
    stream.on('error', () => undefined);
  }

  get isClosed(): boolean {
    return this.ended;
  }

  send(message: Json): void {
    this.stream.write(`${JSON.stringify(message)}\n`);
  }

  request(method: string, params: unknown[] = []): Promise<Json> {
    const id = this.nextId++;
    this.send({ id, method, params });
    return this.waitFor(`answer to ${method}`, () =>
      this.received.find((m) => m.id === id && m.method === undefined),
    );
  }

  notification(method: string): Promise<unknown[]> {
    return this.waitFor(`notification ${method}`, () => {
      const from = this.consumed.get(method) ?? -1;
      for (let i = from + 1; i < this.received.length; i += 1) {
        const m = this.received[i];
        if (m?.method === method) {
          this.consumed.set(method, i);
          return m.params as unknown[];
        }
      }
      return undefined;
    });
  }

  waitClosed(): Promise<void> {
    return this.waitFor('close', () => (this.ended ? true : undefined)).then(() => undefined);
  }

  close(): void {
    this.stream.destroy();
  }

  private waitFor<T>(what: string, probe: () => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, LINE_CLIENT_WAIT_MS);
      const check = (): void => {
        const value = probe();
        if (value !== undefined) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve(value);
        } else if (this.ended && what !== 'close') {
          this.waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`closed while waiting for ${what}`));
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  private poke(): void {
    for (const w of [...this.waiters]) w();
  }
}

export interface LineMiner {
  client: LineClient;
  worker: string;
  extranonce1: string;
  extranonce2Size: number;
  difficulty: number;
  job: MinerJob;
}

/** subscribe, authorize, then the first difficulty and job. */
export async function startLineMiner(
  client: LineClient,
  worker: string,
  userAgent = 'line-client/1.0',
): Promise<LineMiner> {
  const sub = await client.request('mining.subscribe', [userAgent]);
  const [, extranonce1, extranonce2Size] = sub.result as [unknown, string, number];
  const auth = await client.request('mining.authorize', [worker, 'x']);
  if (auth.result !== true) throw new Error(`authorize failed: ${JSON.stringify(auth)}`);
  const [difficulty] = (await client.notification('mining.set_difficulty')) as [number];
  const job = jobFromNotify(await client.notification('mining.notify'));
  return { client, worker, extranonce1, extranonce2Size, difficulty, job };
}

let counter = 1;

/** Mines a share at the miner's difficulty (real sha256d) and submits it; returns the answer. */
export async function mineAndSubmit(m: LineMiner): Promise<{ answer: Json; share: FoundShare }> {
  counter += 1;
  const share = mineShare(m.job, {
    extranonce1: m.extranonce1,
    extranonce2: counter.toString(16).padStart(m.extranonce2Size * 2, '0'),
    difficulty: m.difficulty,
  });
  const answer = await m.client.request('mining.submit', submitParams(m.worker, m.job.jobId, share));
  return { answer, share };
}
