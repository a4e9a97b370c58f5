import type { Response } from '../../stratum/index.js';

/** Pool-initiated requests waiting for an answer, per session. */
export const MAX_PENDING_REQUESTS = 16;

/**
 * The requests a pool sends a miner (client.get_version, mining.ping) and their answers, by id.
 * ESP-Miner answers mining.ping with a request-shaped {"method":"pong"}, which settles the
 * oldest ping.
 */
export class PoolRequests {
  private readonly pending = new Map<number, (response: Response | undefined) => void>();
  private readonly pings: number[] = [];
  private nextId = 1;

  get full(): boolean {
    return this.pending.size >= MAX_PENDING_REQUESTS;
  }

  /** A fresh id whose answer (or undefined, when settled otherwise) goes to `settle`. */
  open(method: string, settle: (response: Response | undefined) => void): number {
    const id = this.nextId;
    this.nextId += 1;
    this.pending.set(id, settle);
    if (method === 'mining.ping') this.pings.push(id);
    return id;
  }

  /** Gives up on `id`; true when it was still waiting. */
  drop(id: number): boolean {
    const ping = this.pings.indexOf(id);
    if (ping !== -1) this.pings.splice(ping, 1);
    return this.pending.delete(id);
  }

  answer(msg: Response): void {
    if (typeof msg.id !== 'number') return;
    const settle = this.pending.get(msg.id);
    if (settle === undefined) return;
    this.drop(msg.id);
    settle(msg);
  }

  pong(): void {
    const id = this.pings[0];
    if (id === undefined) return;
    const settle = this.pending.get(id);
    this.drop(id);
    settle?.({ type: 'response', id, result: 'pong', error: null });
  }

  /** The connection closed: every request settles unanswered. */
  closeAll(): void {
    const settles = [...this.pending.values()];
    this.pending.clear();
    this.pings.length = 0;
    for (const settle of settles) settle(undefined);
  }
}
