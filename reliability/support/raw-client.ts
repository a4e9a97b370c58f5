import net from 'node:net';
import { LineFramer } from '../../stratum/index.js';

/** One answer (a line without a method), as received. */
export interface Answer {
  id: unknown;
  result: unknown;
  error: unknown;
  line: string;
}

export interface Notification {
  method: string;
  params: unknown[];
}

/** Every wait is bounded, and generous: a loaded 2-core CI machine can be slow. */
export const WAIT_MS = 15_000;
const CLIENT_LINE_CAP = 16 * 1024 * 1024;

interface Waiter {
  check: () => boolean;
  timer: NodeJS.Timeout;
}

/**
 * A miner connection for bad input: any bytes out (from a chosen source address, so bans land on
 * it alone), every received line kept in order, answers looked up by id.
 */
export class RawClient {
  readonly lines: string[] = [];
  private readonly parsed: (Record<string, unknown> | undefined)[] = [];
  private readonly framer = new LineFramer(CLIENT_LINE_CAP);
  private readonly waiters = new Set<Waiter>();
  private readonly consumed = new Map<string, number>();
  private ended = false;
  private nextId = 1;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const ev of this.framer.push(chunk)) {
        if (ev.kind !== 'line') continue;
        this.lines.push(ev.line);
        this.parsed.push(parseObject(ev.line));
      }
      this.poke();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.ended = true;
      this.poke();
    });
  }

  static connect(port: number, localAddress = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port, localAddress, noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawClient(socket));
      });
    });
  }

  get isClosed(): boolean {
    return this.ended;
  }

  /** Bytes exactly as given (no newline added). */
  write(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  sendLine(line: string): void {
    this.socket.write(`${line}\n`);
  }

  send(message: Record<string, unknown>): void {
    this.sendLine(JSON.stringify(message));
  }

  request(method: string, params: unknown[] = [], id: unknown = this.nextId++): Promise<Answer> {
    this.send({ id, method, params });
    return this.answer(id);
  }

  /** Every answer received so far with this id (JSON-equal). */
  answersTo(id: unknown): Answer[] {
    const key = JSON.stringify(id);
    const out: Answer[] = [];
    this.parsed.forEach((json, i) => {
      if (json && json.method === undefined && JSON.stringify(json.id) === key) {
        out.push({
          id: json.id,
          result: json.result ?? null,
          error: json.error ?? null,
          line: this.lines[i] as string,
        });
      }
    });
    return out;
  }

  /** Every answer received so far. */
  answers(): Answer[] {
    const out: Answer[] = [];
    this.parsed.forEach((json, i) => {
      if (json && json.method === undefined)
        out.push({
          id: json.id,
          result: json.result ?? null,
          error: json.error ?? null,
          line: this.lines[i] as string,
        });
    });
    return out;
  }

  answer(id: unknown, timeoutMs = WAIT_MS): Promise<Answer> {
    return this.waitFor(`an answer to id ${JSON.stringify(id)}`, timeoutMs, () => this.answersTo(id)[0]);
  }

  /** Waits until `count` answers have arrived in all. */
  answerCount(count: number, timeoutMs = WAIT_MS): Promise<Answer[]> {
    return this.waitFor(`${count} answers`, timeoutMs, () => {
      const all = this.answers();
      return all.length >= count ? all : undefined;
    });
  }

  /** The next notification of this method not taken by an earlier call. */
  notification(method: string, timeoutMs = WAIT_MS): Promise<Notification> {
    return this.waitFor(`notification ${method}`, timeoutMs, () => {
      const from = this.consumed.get(method) ?? -1;
      for (let i = from + 1; i < this.parsed.length; i += 1) {
        const json = this.parsed[i];
        if (json?.method === method) {
          this.consumed.set(method, i);
          return { method, params: Array.isArray(json.params) ? (json.params as unknown[]) : [] };
        }
      }
      return undefined;
    });
  }

  /** Every notification of this method so far. */
  notifications(method: string): Notification[] {
    return this.parsed
      .filter((j) => j?.method === method)
      .map((j) => ({ method, params: Array.isArray(j?.params) ? (j?.params as unknown[]) : [] }));
  }

  waitClosed(timeoutMs = WAIT_MS): Promise<void> {
    return this.waitFor(
      'the connection to close',
      timeoutMs,
      () => (this.ended ? true : undefined),
      true,
    ).then(() => undefined);
  }

  close(): Promise<void> {
    for (const w of this.waiters) clearTimeout(w.timer);
    this.waiters.clear();
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.destroy();
    });
  }

  private waitFor<T>(
    what: string,
    timeoutMs: number,
    probe: () => T | undefined,
    closeIsFine = false,
  ): Promise<T> {
    const now = probe();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const value = probe();
          if (value !== undefined) {
            resolve(value);
            return true;
          }
          if (this.ended && !closeIsFine) {
            reject(new Error(`connection closed while waiting for ${what}; last lines:\n${this.tail()}`));
            return true;
          }
          return false;
        },
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`timed out waiting for ${what}; last lines:\n${this.tail()}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  private poke(): void {
    for (const w of [...this.waiters]) {
      if (w.check()) {
        clearTimeout(w.timer);
        this.waiters.delete(w);
      }
    }
  }

  private tail(): string {
    return this.lines
      .slice(-6)
      .map((l) => (l.length > 200 ? `${l.slice(0, 200)}...` : l))
      .join('\n');
  }
}

function parseObject(line: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The Stratum error code of an answer; null when it was accepted (no error). */
export function codeOf(answer: Pick<Answer, 'error'>): number | null {
  if (answer.error === null) return null;
  return Array.isArray(answer.error) && typeof answer.error[0] === 'number' ? answer.error[0] : NaN;
}
