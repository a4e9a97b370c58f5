import type { EventFeed, ProxyEvent, ProxyEventListener } from '../events/index.js';

/**
 * /events for `karoo proxy --workers N`: the events every worker forwards, to the primary's
 * readers. The workers forward only while someone reads (`setForwarding` tells them), so a cluster
 * nobody watches sends nothing over IPC.
 */
export class ClusterEventFeed implements EventFeed {
  private readonly listeners = new Set<ProxyEventListener>();

  constructor(private readonly setForwarding: (on: boolean) => void) {}

  subscribe(listener: ProxyEventListener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.setForwarding(true);
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.setForwarding(false);
    };
  }

  /** True while someone reads: a worker that starts now is told to forward. */
  get wanted(): boolean {
    return this.listeners.size > 0;
  }

  /** An event a worker forwarded. */
  deliver(event: ProxyEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}
