import net from 'node:net';
import { DEFAULT_POOL_LINE_CAP, LineFramer } from '../stratum/index.js';

/** What a subscribed and authorized session mines on. */
export interface SessionWork {
  extranonce1: string;
  extranonce2Size: number;
  jobId: string;
  ntime: string;
}

export interface RoundTrip {
  /** Nanoseconds from the write to the answer's arrival. */
  ns: bigint;
  accepted: boolean;
}

export interface PipelineResult {
  answers: number;
  accepted: number;
  elapsedMs: number;
}

/** Bounds every wait of the bench's clients. */
export const DEFAULT_CLIENT_TIMEOUT_MS = 20_000;

/**
 * A minimal Stratum miner for load: handshake, then well-formed submits on the first job, each
 * with a fresh nonce (so, at an accept-all difficulty, each is accepted once). Answers are told
 * apart from notifications without JSON parsing, so the client costs little next to the server.
 */
export class LoadClient {
  private readonly framer = new LineFramer(DEFAULT_POOL_LINE_CAP);
  private lineHandler: (line: string) => void = () => undefined;
  private nonce = 0;
  private nextId = 100;
  private work: SessionWork | undefined;
  private worker = '';
  private extranonce2 = '';
  private closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const ev of this.framer.push(chunk)) if (ev.kind === 'line') this.lineHandler(ev.line);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.lineHandler('');
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<LoadClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host}:${port} timed out`));
      }, DEFAULT_CLIENT_TIMEOUT_MS);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new LoadClient(socket));
      });
    });
  }

  /** subscribe, authorize, and the first job. */
  handshake(worker: string): Promise<SessionWork> {
    this.worker = worker;
    return new Promise((resolve, reject) => {
      let subscribed: [string, number] | undefined;
      let authorized = false;
      let job: [string, string] | undefined;
      const timer = setTimeout(() => reject(new Error('handshake timed out')), DEFAULT_CLIENT_TIMEOUT_MS);
      this.lineHandler = (line) => {
        if (this.closed) {
          clearTimeout(timer);
          reject(new Error('closed during the handshake'));
          return;
        }
        const msg = JSON.parse(line) as {
          id?: unknown;
          result?: unknown;
          method?: string;
          params?: unknown[];
        };
        if (msg.id === 1 && Array.isArray(msg.result))
          subscribed = [String(msg.result[1]), Number(msg.result[2])];
        else if (msg.id === 2) authorized = msg.result === true;
        else if (msg.method === 'mining.notify' && msg.params)
          job = [String(msg.params[0]), String(msg.params[7])];
        if (!subscribed || !authorized || !job) return;
        clearTimeout(timer);
        this.work = {
          extranonce1: subscribed[0],
          extranonce2Size: subscribed[1],
          jobId: job[0],
          ntime: job[1],
        };
        this.extranonce2 = '1'.padStart(subscribed[1] * 2, '0');
        this.lineHandler = () => undefined;
        resolve(this.work);
      };
      this.socket.write(
        `{"id":1,"method":"mining.subscribe","params":["karoo-bench/1.0"]}\n` +
          `{"id":2,"method":"mining.authorize","params":["${worker}","x"]}\n`,
      );
    });
  }

  /** The next submit line (a fresh nonce), with its id. */
  private submitLine(): string {
    const w = this.work;
    if (!w) throw new Error('submit before the handshake');
    this.nonce = (this.nonce + 1) >>> 0;
    const nonce = this.nonce.toString(16).padStart(8, '0');
    return `{"id":${this.nextId++},"method":"mining.submit","params":["${this.worker}","${w.jobId}","${this.extranonce2}","${w.ntime}","${nonce}"]}\n`;
  }

  /** One submit, one answer: the time between them. */
  roundTrip(): Promise<RoundTrip> {
    const line = this.submitLine();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('no answer to a submit in time')),
        DEFAULT_CLIENT_TIMEOUT_MS,
      );
      let start = 0n;
      this.lineHandler = (answer) => {
        if (this.closed) {
          clearTimeout(timer);
          reject(new Error('closed while waiting for an answer'));
          return;
        }
        if (answer.includes('"method"')) return;
        const ns = process.hrtime.bigint() - start;
        clearTimeout(timer);
        this.lineHandler = () => undefined;
        resolve({ ns, accepted: answer.includes('"result":true') });
      };
      start = process.hrtime.bigint();
      this.socket.write(line);
    });
  }

  /**
   * Keeps `window` submits in flight for `durationMs`, writing one new submit per answer, and
   * counts the answers that arrived in that time. Waits (bounded) for the rest before returning.
   */
  pipeline(window: number, durationMs: number): Promise<PipelineResult> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const deadline = started + durationMs;
      let inFlight = 0;
      let answers = 0;
      let accepted = 0;
      let ended = false;
      const finish = (): void => {
        clearTimeout(timer);
        this.lineHandler = () => undefined;
        resolve({ answers, accepted, elapsedMs: durationMs });
      };
      const timer = setTimeout(() => {
        if (inFlight > 0) reject(new Error(`${inFlight} submits never answered`));
        else finish();
      }, durationMs + DEFAULT_CLIENT_TIMEOUT_MS);
      const send = (n: number): void => {
        let batch = '';
        for (let i = 0; i < n; i += 1) batch += this.submitLine();
        inFlight += n;
        this.socket.write(batch);
      };
      let owed = 0;
      this.lineHandler = (line) => {
        if (this.closed) {
          clearTimeout(timer);
          reject(new Error('closed during the pipeline'));
          return;
        }
        if (line.includes('"method"')) return;
        inFlight -= 1;
        if (!ended && performance.now() >= deadline) ended = true;
        if (!ended) {
          answers += 1;
          if (line.includes('"result":true')) accepted += 1;
          owed += 1;
          // Refill once per burst of answers rather than per line: a few big writes, not many small ones.
          if (owed === 1)
            setImmediate(() => {
              const n = owed;
              owed = 0;
              if (!ended) send(n);
            });
        } else if (inFlight === 0) finish();
      };
      send(window);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
