import net from 'node:net';
import { wallMs } from './messages.js';

export interface SwarmOptions {
  host: string;
  port: number;
  /** Sessions this swarm opens. */
  count: number;
  /** Global index of the first session (for worker names and the source-address rotation). */
  firstIndex: number;
  /** Source addresses, used in turn (127.0.0.2, 127.0.0.3, ...): each has its own ephemeral ports. */
  localAddresses: string[];
  /** Handshakes in progress at once. */
  concurrency: number;
  /** Give up on sessions not ready by then. */
  deadlineMs: number;
}

export interface SwarmProgress {
  ready: number;
  failed: number;
  /** Sessions that were ready and then closed by the far end. */
  closedAfterReady: number;
  /** Failures by error code (ECONNREFUSED, EADDRNOTAVAIL, timeout, ...). */
  errors: Record<string, number>;
  elapsedMs: number;
}

export interface NotifyArrivals {
  /** Wall-clock ms at which each armed session saw its next mining.notify. */
  arrivals: number[];
  missing: number;
}

const enum State {
  Handshake,
  Ready,
  Done,
}

interface Session {
  socket: net.Socket;
  state: State;
  buffer: string;
  subscribed: boolean;
  authorized: boolean;
  armed: boolean;
  arrivedAt: number;
  /** The last few characters of the previous chunk, so a method name split across chunks is seen. */
  tail: string;
}

const NOTIFY = '"mining.notify"';

/**
 * Many subscribed, authorized miner sessions from one process, as cheap as possible: each parses
 * JSON only during its handshake; after that it just watches for the next mining.notify.
 */
export class SessionSwarm {
  private readonly sessions: Session[] = [];
  private readonly errors = new Map<string, number>();
  private ready = 0;
  private failed = 0;
  private closedAfterReady = 0;
  private started = 0;
  private armedCount = 0;
  private arrivedCount = 0;
  private onArrival: (() => void) | undefined;

  constructor(private readonly o: SwarmOptions) {}

  progress(): SwarmProgress {
    return {
      ready: this.ready,
      failed: this.failed,
      closedAfterReady: this.closedAfterReady,
      errors: Object.fromEntries(this.errors),
      elapsedMs: this.started === 0 ? 0 : performance.now() - this.started,
    };
  }

  /** Opens every session (at most `concurrency` handshaking at once); resolves when all are ready or failed. */
  connect(): Promise<SwarmProgress> {
    this.started = performance.now();
    const deadline = this.started + this.o.deadlineMs;
    let next = 0;
    let active = 0;
    return new Promise((resolve) => {
      const pump = (): void => {
        while (active < this.o.concurrency && next < this.o.count) {
          if (performance.now() > deadline) {
            this.fail(undefined, 'deadline', this.o.count - next);
            next = this.o.count;
            break;
          }
          active += 1;
          this.open(this.o.firstIndex + next, () => {
            active -= 1;
            pump();
          });
          next += 1;
        }
        if (active === 0 && next >= this.o.count) {
          clearTimeout(timer);
          resolve(this.progress());
        }
      };
      const timer = setTimeout(() => {
        for (const s of this.sessions) if (s.state === State.Handshake) this.fail(s, 'deadline');
        if (next < this.o.count) this.fail(undefined, 'deadline', this.o.count - next);
        next = this.o.count;
        resolve(this.progress());
      }, this.o.deadlineMs);
      pump();
    });
  }

  /** Every ready session starts watching for its next notify; returns how many. */
  arm(): number {
    this.armedCount = 0;
    this.arrivedCount = 0;
    for (const s of this.sessions) {
      s.armed = s.state === State.Ready;
      s.arrivedAt = 0;
      s.tail = '';
      if (s.armed) this.armedCount += 1;
    }
    return this.armedCount;
  }

  /** Waits (bounded) until every armed session has seen a notify. */
  collect(timeoutMs: number): Promise<NotifyArrivals> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.onArrival = undefined;
        const arrivals: number[] = [];
        for (const s of this.sessions) if (s.arrivedAt > 0) arrivals.push(s.arrivedAt);
        resolve({ arrivals, missing: this.armedCount - arrivals.length });
      };
      const timer = setTimeout(done, timeoutMs);
      this.onArrival = () => {
        if (this.arrivedCount >= this.armedCount) done();
      };
      this.onArrival();
    });
  }

  close(): void {
    for (const s of this.sessions) {
      s.state = State.Done;
      s.socket.destroy();
    }
  }

  private open(index: number, settled: () => void): void {
    const localAddress = this.o.localAddresses[index % this.o.localAddresses.length];
    const socket = net.connect({
      host: this.o.host,
      port: this.o.port,
      noDelay: true,
      ...(localAddress ? { localAddress } : {}),
    });
    socket.setEncoding('utf8');
    const s: Session = {
      socket,
      state: State.Handshake,
      buffer: '',
      subscribed: false,
      authorized: false,
      armed: false,
      arrivedAt: 0,
      tail: '',
    };
    this.sessions.push(s);
    let reported = false;
    const settle = (): void => {
      if (reported) return;
      reported = true;
      settled();
    };
    socket.once('connect', () => {
      socket.write(
        `{"id":1,"method":"mining.subscribe","params":["karoo-bench/1.0"]}\n` +
          `{"id":2,"method":"mining.authorize","params":["bench.m${index}","x"]}\n`,
      );
    });
    socket.on('data', (chunk: string) => {
      if (s.state === State.Ready) return this.watch(s, chunk);
      if (s.state !== State.Handshake) return;
      s.buffer += chunk;
      let nl = s.buffer.indexOf('\n');
      while (nl !== -1 && s.state === State.Handshake) {
        this.handshakeLine(s, s.buffer.slice(0, nl));
        s.buffer = s.buffer.slice(nl + 1);
        nl = s.buffer.indexOf('\n');
      }
      if ((s.state as State) === State.Ready) {
        s.buffer = '';
        settle();
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (s.state === State.Handshake) {
        this.fail(s, err.code ?? 'error');
        settle();
      }
    });
    socket.on('close', () => {
      if (s.state === State.Handshake) {
        this.fail(s, 'closed-in-handshake');
        settle();
      } else if (s.state === State.Ready) {
        s.state = State.Done;
        this.closedAfterReady += 1;
      }
    });
  }

  private handshakeLine(s: Session, line: string): void {
    let msg: { id?: unknown; result?: unknown; method?: unknown };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return this.fail(s, 'bad-json');
    }
    if (msg.id === 1) s.subscribed = Array.isArray(msg.result);
    else if (msg.id === 2) s.authorized = msg.result === true;
    else if (msg.method === 'mining.notify' && s.subscribed && s.authorized) {
      s.state = State.Ready;
      this.ready += 1;
      return;
    }
    if ((msg.id === 1 && !s.subscribed) || (msg.id === 2 && !s.authorized)) this.fail(s, 'refused');
  }

  private watch(s: Session, chunk: string): void {
    if (!s.armed || s.arrivedAt > 0) return;
    const seen = (s.tail + chunk).includes(NOTIFY);
    s.tail = chunk.slice(-NOTIFY.length);
    if (!seen) return;
    s.arrivedAt = wallMs();
    this.arrivedCount += 1;
    this.onArrival?.();
  }

  private fail(s: Session | undefined, code: string, count = 1): void {
    if (s) {
      if (s.state !== State.Handshake) return;
      s.state = State.Done;
      s.socket.destroy();
    }
    this.failed += count;
    this.errors.set(code, (this.errors.get(code) ?? 0) + count);
  }
}
