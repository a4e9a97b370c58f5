import { EventEmitter } from 'node:events';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { Clock } from '../../runtime/clock.js';
import { systemClock, unrefTimer } from '../../runtime/clock.js';
import type { Logger } from '../../runtime/logger.js';
import { silentLogger } from '../../runtime/logger.js';
import type { JsonValue } from '../../stratum/index.js';
import type { HostPort } from '../../peers/host-port.js';
import { formatStratumUrl } from '../../peers/host-port.js';
import type { MarkEvent } from '../../recording/format.js';
import { RecordingDirectory } from '../../recording/recording-directory.js';
import type { SessionRecorder, SessionRecorderOptions } from '../../recording/session-recorder.js';

/** How long the tap waits for the upstream to accept before it gives up on a miner. */
export const DEFAULT_UPSTREAM_CONNECT_TIMEOUT_MS = 10_000;

export interface RecorderOptions {
  listen: HostPort;
  upstream: HostPort;
  outDir: string;
  clock?: Clock;
  logger?: Logger;
  /** Per-session file size cap (bytes). */
  maxBytes?: number;
  /** Copied into every recording's header. */
  target?: { [key: string]: JsonValue };
  note?: string;
  /** File name prefix (default "session"). */
  prefix?: string;
  connectTimeoutMs?: number;
  /** Marks the pool's own new work in every session (poolWorkMarks with `karoo record --pool-http`). */
  markFor?: SessionRecorderOptions['markFor'];
}

export interface RecordedSessionInfo {
  session: number;
  path: string;
  miner: string;
  /** Records written after the header. */
  records: number;
}

export interface RecorderEvents {
  'session-start': [info: Omit<RecordedSessionInfo, 'records'>];
  /** The session's file is complete (flushed and closed). */
  'session-end': [info: RecordedSessionInfo];
}

/** A running tap; see startRecorder. */
export interface RunningRecorder extends EventEmitter<RecorderEvents> {
  readonly host: string;
  readonly port: number;
  /** stratum+tcp://HOST:PORT miners connect to. */
  readonly url: string;
  /** Sessions open now (a session counts until its file is complete). */
  readonly openSessions: number;
  /** Writes a mark into every open session (call it just before acting on the target). */
  mark(event: MarkEvent): void;
  /** Stops listening, cuts every session and waits for their files. */
  close(): Promise<void>;
}

/**
 * A transparent Stratum tap: every miner that connects gets its own upstream connection, bytes
 * are forwarded unchanged both ways, and each session is written to its own JSON-lines file.
 */
export async function startRecorder(options: RecorderOptions): Promise<RunningRecorder> {
  const tap = new RecordingTap(options);
  await tap.listen();
  return tap;
}

interface LiveSession {
  recorder: SessionRecorder;
  miner: Socket;
  upstream: Socket;
  done: Promise<void>;
}

class RecordingTap extends EventEmitter<RecorderEvents> implements RunningRecorder {
  private readonly server: Server;
  private readonly dir: RecordingDirectory;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly live = new Set<LiveSession>();
  private boundPort = 0;
  private sessionCount = 0;
  private closing = false;

  constructor(private readonly options: RecorderOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? silentLogger();
    this.dir = new RecordingDirectory(options.outDir, {
      clock: this.clock,
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
      ...(options.target === undefined ? {} : { target: options.target }),
      ...(options.note === undefined ? {} : { note: options.note }),
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
      ...(options.markFor === undefined ? {} : { markFor: options.markFor }),
    });
    this.server = createServer((socket) => this.onMiner(socket));
  }

  get host(): string {
    return this.options.listen.host;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    const host = this.host === '0.0.0.0' || this.host === '::' ? '127.0.0.1' : this.host;
    return formatStratumUrl({ host, port: this.boundPort });
  }

  get openSessions(): number {
    return this.live.size;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: this.options.listen.host, port: this.options.listen.port }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (this.server.address() as AddressInfo).port;
    this.log.info({ url: this.url, upstream: formatStratumUrl(this.options.upstream) }, 'recorder listening');
  }

  mark(event: MarkEvent): void {
    for (const s of this.live) s.recorder.mark(event);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const sessions = [...this.live];
    for (const s of sessions) {
      s.miner.destroy();
      s.upstream.destroy();
    }
    await Promise.all([closed, ...sessions.map((s) => s.done)]);
  }

  /** Flushes what is queued towards the other side, then closes it (bounded). */
  private endThenDestroy(socket: Socket): void {
    if (socket.destroyed) return;
    socket.end();
    const timer = this.clock.setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
    unrefTimer(timer);
    socket.once('close', () => this.clock.clearTimeout(timer));
  }

  private onMiner(miner: Socket): void {
    if (this.closing) {
      miner.destroy();
      return;
    }
    miner.pause();
    miner.setNoDelay(true);
    const minerAddress = describe(miner);
    const upstreamUrl = formatStratumUrl(this.options.upstream);
    const { path, recorder } = this.dir.open({ miner: minerAddress, upstream: upstreamUrl });
    const log = this.log.child({ session: path, miner: minerAddress });
    const upstream = connect({ host: this.options.upstream.host, port: this.options.upstream.port });
    upstream.setNoDelay(true);
    let resolveDone: () => void = () => undefined;
    const session: LiveSession = {
      recorder,
      miner,
      upstream,
      done: new Promise((resolve) => (resolveDone = resolve)),
    };
    this.live.add(session);
    this.sessionCount += 1;
    const info = { session: this.sessionCount, path, miner: minerAddress };
    this.emit('session-start', info);
    log.info('miner connected; recording');

    const connectTimer = this.clock.setTimeout(
      () => upstream.destroy(new Error('upstream connect timed out')),
      this.options.connectTimeoutMs ?? DEFAULT_UPSTREAM_CONNECT_TIMEOUT_MS,
    );
    let open = 2;
    const finish = (): void => {
      open -= 1;
      if (open > 0) return;
      this.clock.clearTimeout(connectTimer);
      void recorder.end().then(() => {
        this.live.delete(session);
        log.info({ records: recorder.recordCount }, 'session recorded');
        this.emit('session-end', { ...info, records: recorder.recordCount });
        resolveDone();
      });
    };

    upstream.once('connect', () => {
      this.clock.clearTimeout(connectTimer);
      miner.on('data', (chunk: Buffer) => recorder.minerBytes(chunk));
      upstream.on('data', (chunk: Buffer) => recorder.poolBytes(chunk));
      miner.pipe(upstream);
      upstream.pipe(miner);
      miner.resume();
    });
    // The first side to finish is the one that closed the session; the other is closed after it.
    miner.once('end', () => recorder.closed('miner'));
    upstream.once('end', () => recorder.closed('pool'));
    miner.on('error', (err) => {
      recorder.closed('miner', errorText(err));
      upstream.destroy();
    });
    upstream.on('error', (err) => {
      recorder.closed('pool', errorText(err));
      miner.destroy();
    });
    miner.once('close', () => {
      recorder.closed('miner');
      this.endThenDestroy(upstream);
      finish();
    });
    upstream.once('close', () => {
      recorder.closed('pool');
      this.endThenDestroy(miner);
      finish();
    });
  }
}

/** How long a half-closed side may take to flush before it is cut. */
const CLOSE_GRACE_MS = 2000;

function describe(socket: Socket): string {
  const host = socket.remoteAddress ?? 'unknown';
  return host.includes(':') ? `[${host}]:${socket.remotePort}` : `${host}:${socket.remotePort}`;
}

function errorText(err: Error): string {
  return (err as NodeJS.ErrnoException).code ?? err.message;
}
