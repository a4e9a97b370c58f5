import type { InMemoryLineEnd } from '../../../../runtime/test-support/in-memory-line-pair.js';
import { linePair, settle } from '../../../../runtime/test-support/in-memory-line-pair.js';
import type { PoolServer } from '../../pool-server.js';

export type Line = Record<string, unknown>;

/**
 * A Stratum client on an in-memory line pair into a pool from startMemoryPool: send, let the
 * pair settle, and read every line the pool sent, in order. `request` resolves to the answer, or
 * to undefined when the pool sent none.
 */
export class MemoryClient {
  readonly lines: Line[] = [];
  private readonly end: InMemoryLineEnd;
  private nextId = 1;

  constructor(pool: PoolServer) {
    const [client, served] = linePair();
    this.end = client;
    client.on('line', (line) => this.lines.push(JSON.parse(line) as Line));
    pool.attach(served);
  }

  get closed(): boolean {
    return this.end.isClosed;
  }

  sendLine(text: string): void {
    this.end.send(text);
  }

  send(message: Line): void {
    this.end.send(JSON.stringify(message));
  }

  async request(
    method: string,
    params: unknown[] = [],
    id: unknown = this.nextId++,
  ): Promise<Line | undefined> {
    this.send({ id, method, params });
    await settle();
    return this.answer(id);
  }

  answer(id: unknown): Line | undefined {
    return this.lines.find((l) => l.method === undefined && JSON.stringify(l.id) === JSON.stringify(id));
  }

  /** Params of every notification of `method`, in order. */
  notifications(method: string): unknown[][] {
    return this.lines.filter((l) => l.method === method).map((l) => l.params as unknown[]);
  }

  /** The last notification of `method`'s params. */
  last(method: string): unknown[] {
    const all = this.notifications(method);
    const params = all[all.length - 1];
    if (params === undefined) throw new Error(`no ${method} among ${JSON.stringify(this.lines)}`);
    return params;
  }

  /** What each line was, in order: `answer:ID` or the method. */
  get shape(): string[] {
    return this.lines.map((l) =>
      typeof l.method === 'string' ? l.method : `answer:${JSON.stringify(l.id)}`,
    );
  }

  close(): void {
    this.end.close();
  }
}

export interface Subscribed {
  extranonce1: string;
  extranonce2Size: number;
}

/** subscribe then authorize; the subscribe answer's extranonce1 and size. */
export async function handshake(
  client: MemoryClient,
  o: { user: string; agent?: string },
): Promise<Subscribed> {
  const sub = await client.request('mining.subscribe', o.agent === undefined ? [] : [o.agent]);
  const [, extranonce1, extranonce2Size] = sub?.result as [unknown, string, number];
  await client.request('mining.authorize', [o.user, 'x']);
  return { extranonce1, extranonce2Size };
}
