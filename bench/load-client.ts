import { StratumClient } from '../peers/stratum-client.js';

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
/** Lines kept by a load client: only the handshake is looked up; the rest is counted as it comes. */
const LOAD_CLIENT_KEEP_LINES = 64;

/**
 * A minimal Stratum miner for load, on peers' StratumClient: handshake, then well-formed submits
 * on the first job, each with a fresh nonce (so, at an accept-all difficulty, each is accepted
 * once). Answers are told apart from notifications without JSON parsing, so the client costs
 * little next to the server.
 */
export class LoadClient {
  private lineHandler: (line: string) => void = () => undefined;
  private nonce = 0;
  private nextId = 100;
  private work: SessionWork | undefined;
  private worker = '';
  private extranonce2 = '';
  /** A new extranonce2 with every submit (else one for all, as NerdMiner does). */
  private rollExtranonce2 = false;

  private constructor(private readonly client: StratumClient) {
    client.on('line', (line) => this.lineHandler(line));
    client.on('close', () => this.lineHandler(''));
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<LoadClient> {
    const client = await StratumClient.connect(
      { host, port, connectTimeoutMs: DEFAULT_CLIENT_TIMEOUT_MS },
      { waitMs: DEFAULT_CLIENT_TIMEOUT_MS, keepLines: LOAD_CLIENT_KEEP_LINES, transcriptLines: 0 },
    );
    return new LoadClient(client);
  }

  private get closed(): boolean {
    return this.client.isClosed;
  }

  /**
   * subscribe, authorize, and the first job. `rollExtranonce2`: every submit on a new extranonce2,
   * so no share shares a coinbase with the one before (the proxy's merkle memo never helps).
   */
  async handshake(worker: string, o: { rollExtranonce2?: boolean } = {}): Promise<SessionWork> {
    this.worker = worker;
    this.rollExtranonce2 = o.rollExtranonce2 ?? false;
    const [sub, auth, notify] = await Promise.all([
      this.client.request('mining.subscribe', ['karoo-bench/1.0']),
      this.client.request('mining.authorize', [worker, 'x']),
      this.client.notification('mining.notify'),
    ]);
    if (!Array.isArray(sub.result)) throw new Error(`subscribe refused: ${sub.line}`);
    if (auth.result !== true) throw new Error(`authorize refused: ${auth.line}`);
    const extranonce2Size = Number(sub.result[2]);
    this.work = {
      extranonce1: String(sub.result[1]),
      extranonce2Size,
      jobId: String(notify.params[0]),
      ntime: String(notify.params[7]),
    };
    this.extranonce2 = '1'.padStart(extranonce2Size * 2, '0');
    return this.work;
  }

  /** The next submit line (a fresh nonce), with its id. */
  private submitLine(): string {
    const w = this.work;
    if (!w) throw new Error('submit before the handshake');
    this.nonce = (this.nonce + 1) >>> 0;
    const nonce = this.nonce.toString(16).padStart(8, '0');
    if (this.rollExtranonce2)
      this.extranonce2 = (this.nonce % 2 ** Math.min(48, w.extranonce2Size * 8))
        .toString(16)
        .padStart(w.extranonce2Size * 2, '0');
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
      this.client.write(line);
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
        this.client.write(batch);
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
    this.client.destroy();
  }
}
