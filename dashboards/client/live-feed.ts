import type { Clock, TimerHandle } from '../../runtime/clock.js';
import { systemClock } from '../../runtime/clock.js';
import type { DashAction, LinkPhase } from '../view/dash-state.js';
import { DEFAULT_EVENTS_IDLE_MS, openEventStream } from '../../proxy/api/event-stream.js';
import type { EventStream } from '../../proxy/api/event-stream.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, oneLine } from '../../proxy/api/http-get.js';
import type { RequestTarget } from '../../proxy/api/http-get.js';
import { fetchStatus } from '../../proxy/api/status-client.js';

/** /status is re-read this often while /events streams (events are merged in between). */
export const DEFAULT_REFRESH_MS = 5000;
/** ...and this often when /events is not available. */
export const DEFAULT_POLL_MS = 2000;
/** Reconnect delays after the proxy goes away: doubling from min to max. */
export const DEFAULT_RETRY_MIN_MS = 500;
export const DEFAULT_RETRY_MAX_MS = 10_000;
/** A proxy without /events (404) is asked again this rarely. */
export const DEFAULT_EVENTS_RETRY_MS = 30_000;

export interface LiveFeedOptions extends RequestTarget {
  clock?: Clock;
  refreshMs?: number;
  pollMs?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
  eventsRetryMs?: number;
  requestTimeoutMs?: number;
  eventsIdleMs?: number;
}

/**
 * Keeps a dashboard fed: the first picture from /status, then live events from /events with
 * /status re-read every `refreshMs`; polling /status when /events is missing; when the proxy
 * goes away it says so (a `link` action) and reconnects with backoff. Everything it learns is
 * handed to `dispatch` as a DashAction.
 */
export class LiveFeed {
  private readonly clock: Clock;
  private readonly o: Required<Omit<LiveFeedOptions, 'clock' | 'base' | 'token'>>;
  private statusTimer: TimerHandle | undefined;
  private eventsTimer: TimerHandle | undefined;
  private stream: EventStream | undefined;
  private streamLive = false;
  private eventsError: string | null = null;
  private up = false;
  private failures = 0;
  private eventFailures = 0;
  private lastError: string | null = null;
  private retryAt: number | null = null;
  private fetching = false;
  private stopped = true;
  private lastLink = '';

  constructor(
    private readonly target: LiveFeedOptions,
    private readonly dispatch: (action: DashAction) => void,
  ) {
    this.clock = target.clock ?? systemClock;
    this.o = {
      refreshMs: target.refreshMs ?? DEFAULT_REFRESH_MS,
      pollMs: target.pollMs ?? DEFAULT_POLL_MS,
      retryMinMs: target.retryMinMs ?? DEFAULT_RETRY_MIN_MS,
      retryMaxMs: target.retryMaxMs ?? DEFAULT_RETRY_MAX_MS,
      eventsRetryMs: target.eventsRetryMs ?? DEFAULT_EVENTS_RETRY_MS,
      requestTimeoutMs: target.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      eventsIdleMs: target.eventsIdleMs ?? DEFAULT_EVENTS_IDLE_MS,
    };
  }

  start(): this {
    if (!this.stopped) return this;
    this.stopped = false;
    void this.tick();
    return this;
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.statusTimer);
    this.clock.clearTimeout(this.eventsTimer);
    this.statusTimer = undefined;
    this.eventsTimer = undefined;
    this.stream?.close();
    this.stream = undefined;
    this.streamLive = false;
  }

  private async tick(): Promise<void> {
    this.clock.clearTimeout(this.statusTimer);
    this.statusTimer = undefined;
    if (this.stopped || this.fetching) return;
    this.fetching = true;
    try {
      const status = await fetchStatus(this.target, this.o.requestTimeoutMs);
      if (this.stopped) return;
      this.up = true;
      this.failures = 0;
      this.lastError = null;
      this.retryAt = null;
      this.dispatch({ type: 'status', at: this.clock.now(), status });
      this.ensureEvents();
      this.scheduleTick(this.streamLive ? this.o.refreshMs : this.o.pollMs);
    } catch (err) {
      if (this.stopped) return;
      this.up = false;
      this.failures += 1;
      this.lastError = oneLine(err);
      this.dropStream();
      const delay = this.backoff(this.failures);
      this.retryAt = this.clock.now() + delay;
      this.scheduleTick(delay);
    } finally {
      this.fetching = false;
    }
    this.emitLink();
  }

  private scheduleTick(ms: number): void {
    this.clock.clearTimeout(this.statusTimer);
    this.statusTimer = this.clock.setTimeout(() => void this.tick(), ms);
  }

  private backoff(failures: number): number {
    return Math.min(this.o.retryMaxMs, this.o.retryMinMs * 2 ** Math.min(20, failures - 1));
  }

  private ensureEvents(): void {
    if (this.stopped || this.stream || this.eventsTimer !== undefined) return;
    this.stream = openEventStream(
      this.target,
      {
        onOpen: () => {
          this.streamLive = true;
          this.eventFailures = 0;
          this.eventsError = null;
          this.emitLink();
          // Re-read /status so nothing between the last picture and the stream's start is missed.
          this.scheduleTick(0);
        },
        onEvent: (event) => this.dispatch({ type: 'event', event }),
        onClose: (reason, status) => {
          const wasLive = this.streamLive;
          this.stream = undefined;
          this.streamLive = false;
          this.eventsError = reason;
          if (this.stopped) return;
          this.eventFailures += 1;
          const delay = status === 404 ? this.o.eventsRetryMs : this.backoff(this.eventFailures);
          this.eventsTimer = this.clock.setTimeout(() => {
            this.eventsTimer = undefined;
            if (this.up) this.ensureEvents();
          }, delay);
          // A stream that ends may mean the proxy is gone: find out now rather than at the next refresh.
          if (wasLive) this.scheduleTick(0);
          this.emitLink();
        },
      },
      { clock: this.clock, timeoutMs: this.o.requestTimeoutMs, idleMs: this.o.eventsIdleMs },
    );
    this.emitLink();
  }

  /** The proxy is unreachable: forget the stream and what it last said; reopen on recovery. */
  private dropStream(): void {
    this.stream?.close();
    this.stream = undefined;
    this.streamLive = false;
    this.eventsError = null;
    this.eventFailures = 0;
    this.clock.clearTimeout(this.eventsTimer);
    this.eventsTimer = undefined;
  }

  private emitLink(): void {
    if (this.stopped) return;
    let phase: LinkPhase;
    let error: string | null = null;
    if (!this.up) {
      phase = this.failures > 0 ? 'down' : 'connecting';
      error = this.lastError;
    } else if (this.streamLive) phase = 'live';
    else if (this.stream && this.eventsError === null) phase = 'connecting';
    else {
      phase = 'polling';
      error = this.eventsError;
    }
    const retryAt = phase === 'down' ? this.retryAt : null;
    const key = `${phase}|${error}|${retryAt}`;
    if (key === this.lastLink) return;
    this.lastLink = key;
    this.dispatch({ type: 'link', at: this.clock.now(), phase, error, retryAt });
  }
}
