import type { CoreEvents, ProxyCore } from '../core/index.js';
import type { ProxyEvent } from './event-payloads.js';
import { disconnectData, poolShareData, shareData } from './event-payloads.js';

export type ProxyEventListener = (event: ProxyEvent) => void;

/** What /events reads: one proxy core's feed, or the events the worker processes of a cluster forward. */
export interface EventFeed {
  /** Calls `listener` with every event from now on; returns the unsubscribe function. */
  subscribe(listener: ProxyEventListener): () => void;
}

/**
 * The proxy's own events (share, pool-share, vardiff, connect, disconnect, upstream) as flat,
 * JSON-ready records for /events. Listens to the proxy only while it has subscribers.
 */
export class ProxyEventFeed implements EventFeed {
  private readonly listeners = new Set<ProxyEventListener>();
  private readonly detachers: (() => void)[] = [];

  constructor(
    private readonly core: ProxyCore,
    private readonly clock: { now(): number },
  ) {}

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
    const core = this.core;
    const now = (): number => this.clock.now();
    const on = <E extends keyof CoreEvents>(event: E, fn: (...args: CoreEvents[E]) => void): void => {
      const listener = fn as (...args: unknown[]) => void;
      (core.on as (e: E, f: (...args: unknown[]) => void) => unknown)(event, listener);
      this.detachers.push(() =>
        (core.off as (e: E, f: (...args: unknown[]) => void) => unknown)(event, listener),
      );
    };
    on('share', (_s, r) => this.emit({ type: 'share', data: shareData(now(), r) }));
    on('pool-share', (_s, r) => this.emit({ type: 'pool-share', data: poolShareData(now(), r) }));
    on('vardiff', (s, c) =>
      this.emit({
        type: 'vardiff',
        data: { at: now(), worker: s.worker, from: c.from, to: c.to, reason: c.reason },
      }),
    );
    on('connect', (s) =>
      this.emit({ type: 'connect', data: { at: now(), conn: s.id, remote: s.remoteAddress } }),
    );
    on('disconnect', (s, reason) =>
      this.emit({ type: 'disconnect', data: disconnectData(now(), s, reason) }),
    );
    on('upstream', (state) => {
      const up = core.snapshot({ miners: false }).upstream;
      this.emit({
        type: 'upstream',
        data: { at: now(), state, url: up.url, last_error: up.splitError ?? up.lastError },
      });
    });
  }

  private detach(): void {
    for (const off of this.detachers.splice(0)) off();
  }
}
