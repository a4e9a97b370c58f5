import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { LineFramer } from '../../../stratum/line-framer.js';

/** One line from the pool; `json` is undefined when it was not JSON (the garbage fault). */
export interface Received {
  line: string;
  json: Record<string, unknown> | undefined;
}

export interface Notification {
  id: unknown;
  method: string;
  params: unknown[];
}

export interface RpcAnswer {
  id: unknown;
  result: unknown;
  error: unknown;
}

interface Waiter {
  check: () => boolean;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** Generous: a loaded 2-core CI box can be slow, and a wait that times out fails the test anyway. */
export const DEFAULT_WAIT_MS = 15_000;
/** Big enough to receive the oversize fault's line whole. */
const CLIENT_LINE_CAP = 64 * 1024 * 1024;

/**
 * A Stratum client driven line by line over a real socket: send requests, await the answer by id
 * or the next notification by method, and see every raw line the pool sent in order.
 */
export class ScriptedClient {
  readonly received: Received[] = [];
  private readonly framer = new LineFramer(CLIENT_LINE_CAP);
  private readonly consumed = new Map<string, number>();
  private readonly waiters = new Set<Waiter>();
  private nextId = 1;
  private ended = false;
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const ev of this.framer.push(chunk)) {
        if (ev.kind !== 'line') continue;
        let json: Record<string, unknown> | undefined;
        try {
          const value: unknown = JSON.parse(ev.line);
          if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
            json = value as Record<string, unknown>;
          }
        } catch {
          json = undefined;
        }
        this.received.push({ line: ev.line, json });
      }
      this.poke();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.ended = true;
        this.poke();
        resolve();
      });
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<ScriptedClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.setNoDelay(true);
        resolve(new ScriptedClient(socket));
      });
    });
  }

  get isClosed(): boolean {
    return this.ended;
  }

  /** Raw text, a newline added. */
  sendLine(line: string): void {
    this.socket.write(`${line}\n`);
  }

  send(message: Record<string, unknown>): void {
    this.sendLine(JSON.stringify(message));
  }

  /** Sends a request with a fresh numeric id (or the given one) and awaits the answer with that id. */
  request(method: string, params: unknown[] = [], id: unknown = this.nextId++): Promise<RpcAnswer> {
    this.send({ id, method, params });
    return this.answer(id);
  }

  answer(id: unknown, timeoutMs = DEFAULT_WAIT_MS): Promise<RpcAnswer> {
    return this.waitFor(`answer to id ${JSON.stringify(id)}`, timeoutMs, () => {
      const hit = this.received.find(
        (r) => r.json !== undefined && r.json.method === undefined && sameId(r.json.id, id),
      );
      return hit === undefined
        ? undefined
        : { id: hit.json?.id, result: hit.json?.result ?? null, error: hit.json?.error ?? null };
    });
  }

  /** The next notification of this method not yet taken by an earlier call. */
  notification(method: string, timeoutMs = DEFAULT_WAIT_MS): Promise<Notification> {
    return this.waitFor(`notification ${method}`, timeoutMs, () => {
      const from = this.consumed.get(method) ?? -1;
      for (let i = from + 1; i < this.received.length; i += 1) {
        const json = this.received[i]?.json;
        if (json?.method === method) {
          this.consumed.set(method, i);
          return {
            id: json.id,
            method,
            params: Array.isArray(json.params) ? (json.params as unknown[]) : [],
          };
        }
      }
      return undefined;
    });
  }

  /** Every notification of this method received so far. */
  notifications(method: string): Notification[] {
    return this.received
      .filter((r) => r.json?.method === method)
      .map((r) => ({
        id: r.json?.id,
        method,
        params: Array.isArray(r.json?.params) ? (r.json?.params as unknown[]) : [],
      }));
  }

  /** The first received line (in order) that matches. */
  line(description: string, match: (r: Received) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<Received> {
    return this.waitFor(description, timeoutMs, () => this.received.find(match));
  }

  waitClosed(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return this.waitFor('connection closed', timeoutMs, () => (this.ended ? true : undefined)).then(
      () => undefined,
    );
  }

  /** Stops reading (the kernel buffers fill, then the pool's send queue). */
  pause(): void {
    this.socket.pause();
  }

  async close(): Promise<void> {
    for (const w of this.waiters) clearTimeout(w.timer);
    this.waiters.clear();
    if (!this.ended) {
      this.socket.destroy();
      await this.closed;
    }
  }

  private waitFor<T>(description: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
    const now = probe();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const value = probe();
          if (value === undefined) {
            if (this.ended && description !== 'connection closed') {
              this.waiters.delete(waiter);
              clearTimeout(waiter.timer);
              reject(new Error(`connection closed while waiting for ${description}; got:\n${this.tail()}`));
              return true;
            }
            return false;
          }
          this.waiters.delete(waiter);
          clearTimeout(waiter.timer);
          resolve(value);
          return true;
        },
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`timed out waiting for ${description}; got:\n${this.tail()}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  private poke(): void {
    for (const w of [...this.waiters]) w.check();
  }

  private tail(): string {
    return this.received
      .slice(-8)
      .map((r) => (r.line.length > 300 ? `${r.line.slice(0, 300)}...` : r.line))
      .join('\n');
  }
}

function sameId(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
