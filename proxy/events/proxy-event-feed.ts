import type { KarooProxy } from '../karoo-proxy.js';
import type { MinerSession } from '../session/miner-session.js';
import type { LocalShareResult, PoolShareResult } from '../share-pipeline.js';
import { endpointLabel } from '../upstream/upstream-endpoint.js';
import type { ProxyEvent } from './event-payloads.js';
import { disconnectData, poolShareData, shareData } from './event-payloads.js';

export type ProxyEventListener = (event: ProxyEvent) => void;

/**
 * The proxy's own events (share, pool-share, vardiff, connect, disconnect, upstream) as flat,
 * JSON-ready records for /events. Listens to the proxy only while it has subscribers.
 */
export class ProxyEventFeed {
  private readonly listeners = new Set<ProxyEventListener>();
  private readonly detachers: (() => void)[] = [];

  constructor(private readonly proxy: KarooProxy) {}

  /** Calls `listener` with every event from now on; returns the unsubscribe function. */
  subscribe(listener: ProxyEventListener): () => void {
    if (this.listeners.size === 0) this.attach();
    this.listeners.add(listener);
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.detach();
    };
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  close(): void {
    this.listeners.clear();
    this.detach();
  }

  private emit(event: ProxyEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  private attach(): void {
    if (this.detachers.length > 0) return;
    const p = this.proxy;
    const now = (): number => p.clock.now();
    const on = <A extends unknown[]>(event: string, fn: (...args: A) => void): void => {
      const emitter = p as unknown as {
        on(e: string, f: (...a: A) => void): void;
        off(e: string, f: (...a: A) => void): void;
      };
      emitter.on(event, fn);
      this.detachers.push(() => emitter.off(event, fn));
    };
    on('share', (_s: MinerSession, r: LocalShareResult) =>
      this.emit({ type: 'share', data: shareData(now(), r) }),
    );
    on('pool-share', (_s: MinerSession, r: PoolShareResult) =>
      this.emit({ type: 'pool-share', data: poolShareData(now(), r) }),
    );
    on('vardiff', (s: MinerSession, c: { from: number; to: number; reason: string }) =>
      this.emit({
        type: 'vardiff',
        data: { at: now(), worker: s.worker, from: c.from, to: c.to, reason: c.reason },
      }),
    );
    on('connect', (s: MinerSession) =>
      this.emit({ type: 'connect', data: { at: now(), conn: s.id, remote: s.remoteAddress } }),
    );
    on('disconnect', (s: MinerSession, reason: string) =>
      this.emit({ type: 'disconnect', data: disconnectData(now(), s, reason) }),
    );
    on('upstream', (state: string) =>
      this.emit({
        type: 'upstream',
        data: {
          at: now(),
          state,
          url: endpointLabel(p.upstream.endpoint),
          last_error: p.upstream.lastError ?? null,
        },
      }),
    );
  }

  private detach(): void {
    for (const off of this.detachers.splice(0)) off();
  }
}
