/**
 * NerdMiner v2 (V1.8.x) as its firmware behaves on the wire, after BitMaker-hub/NerdMiner_v2
 * src/mining.cpp (runStratumWorker, minerWorkerSw, checkPoolInactivity), src/stratum.cpp and
 * src/utils.cpp. Summary of the quirks kept here (../../../shared/reference/firmware.md):
 * - sends subscribe, waits 200 ms, reads exactly one line, which must be the subscribe answer;
 *   then authorize (its answer is never checked), 200 ms, suggest_difficulty 0.00015;
 * - every notify restarts work from nonce 0xDA54E700, clean_jobs or not; extranonce2 is a constant;
 * - only hashes with 16 leading zero bits are looked at; of each 4096/16384-nonce chunk the best
 *   one is sent if its difficulty is strictly above the pool's;
 * - nonce sent as String(nonce, HEX), not zero-padded;
 * - ignores client.reconnect, set_extranonce, ping, get_version, show_message;
 * - re-suggests the difficulty after 30 s without sending, drops the connection after 60 s without
 *   hashing or 10 min without a notify, reconnects at once after a drop and 1-60 s after a failed
 *   connect.
 */
import type { TimerHandle } from '../../../runtime/clock.js';
import { hashToDifficulty } from '../../../stratum/difficulty.js';
import { parseMessage } from '../../../stratum/message-parser.js';
import type { JsonValue, Response, StratumMessage } from '../../../stratum/messages.js';
import {
  MinerSession,
  type ReconnectCause,
  type SessionContext,
  type SubmitFields,
} from '../miner-session.js';
import { top16Zero } from '../sha256-midstate.js';
import { wordsToBytes } from '../../../stratum/sha256-words.js';
import { HeaderWork, confirmHash, nbitsTargetHex, toMinerJob } from '../work.js';
import * as out from './nerdminer-console.js';
import {
  NERDMINER_DEFAULT_DIFFICULTY,
  NERDMINER_DEFAULT_VERSION,
  nerdAuthorize,
  nerdExtranonce2,
  nerdNonceHex,
  nerdSubmit,
  nerdSubscribe,
  nerdSuggestDifficulty,
} from './nerdminer-wire.js';

/** mining.cpp: nonce 0 is avoided; every job starts here. */
export const NERDMINER_NONCE_START = 0xda54e700;
/** Lines held while the handshake waits (a device's socket buffer is small too); more drops the connection. */
export const MAX_HANDSHAKE_INBOX = 64;
/** NONCE_PER_JOB_SW and NONCE_PER_JOB_HW: the software and hardware SHA tasks take turns. */
export const NERDMINER_CHUNKS = [4096, 16384] as const;

type State = 'idle' | 'subscribing' | 'authorizing' | 'mining';

interface Chunk {
  next: number;
  end: number;
  startDifficulty: number;
  bestDifficulty: number;
  bestNonce: number | undefined;
  bestWords: Int32Array;
}

export class NerdMinerSession extends MinerSession {
  private state: State = 'idle';
  private rpcId = 1;
  private inbox: string[] = [];
  private awaitingSubscribe: TimerHandle | undefined;
  private extranonce1 = '';
  private extranonce2Size = 0;
  private poolDifficulty = NERDMINER_DEFAULT_DIFFICULTY;
  private readonly suggested: number;
  private authorizeId = -1;
  private work: HeaderWork | undefined;
  private chunk: Chunk | undefined;
  private noncePool = NERDMINER_NONCE_START;
  private chunkTurn = 0;
  private chunkOffset = 0;
  private lastTxAt = 0;
  private lastJobAt = 0;
  private totalHashes = 0;
  private hashesAtLog = 0;
  private shares32 = 0;
  private readonly share32Ids = new Set<number>();
  private monitor: TimerHandle | undefined;
  private readonly words = new Int32Array(8);

  constructor(ctx: SessionContext) {
    super(ctx);
    this.suggested = ctx.options.suggestDifficulty ?? NERDMINER_DEFAULT_DIFFICULTY;
  }

  override start(): void {
    for (const line of out.bootLines(this.ctx.options.pool.host)) this.ctx.console(line);
    this.startMonitor();
    super.start();
  }

  override async stop(): Promise<void> {
    this.ctx.clock.clearTimeout(this.monitor);
    this.monitor = undefined;
    await super.stop();
  }

  hasWork(): boolean {
    return this.state === 'mining' && this.work !== undefined && this.connected;
  }

  hashBatch(max: number): number {
    let done = 0;
    while (done < max && this.work !== undefined && this.state === 'mining') {
      const work = this.work;
      this.chunk ??= this.newChunk();
      const c = this.chunk;
      const n = Math.min(max - done, c.end - c.next);
      for (let i = 0; i < n; i += 1) {
        const nonce = (this.noncePool + c.next) >>> 0;
        c.next += 1;
        work.hash(nonce, this.words);
        if (!top16Zero(this.words)) continue;
        const d = hashToDifficulty(wordsToBytes(this.words));
        if (d > c.bestDifficulty) {
          c.bestDifficulty = d;
          c.bestNonce = nonce;
          c.bestWords.set(this.words);
        }
      }
      done += n;
      if (c.next >= c.end) this.finishChunk(work, c);
    }
    this.totalHashes += done;
    this.ctx.stats.hashes += done;
    return done;
  }

  protected override onConnectAttempt(): void {
    this.ctx.console(out.CONNECTING);
  }

  protected override onConnectFailed(): void {
    this.ctx.console(out.cannotConnect(this.ctx.options.pool.host));
  }

  /** A failed connect waits a random 1-60 s; after a drop the task loop reconnects on its next turn. */
  protected override reconnectDelayMs(cause: ReconnectCause): number {
    return cause === 'connect-failed' ? this.randomReconnectDelay() : this.ctx.options.timers.loopDelayMs;
  }

  protected override onConnected(): void {
    this.state = 'subscribing';
    this.inbox = [];
    this.rpcId = 1;
    const line = nerdSubscribe(this.rpcId, this.ctx.options.firmwareVersion ?? NERDMINER_DEFAULT_VERSION);
    this.ctx.console(out.MINING_SUBSCRIBE);
    this.printAll(out.sendingWithBlank(line));
    this.send(line);
    this.connTimer(this.ctx.options.timers.handshakeWaitMs, () => this.readSubscribeAnswer());
  }

  protected override onDisconnected(): void {
    this.state = 'idle';
    this.work = undefined;
    this.chunk = undefined;
    this.awaitingSubscribe = undefined;
    this.inbox = [];
  }

  protected override onMessage(_msg: StratumMessage, line: string): void {
    this.onLine(line);
  }

  protected override onUnparsable(line: string): void {
    this.onLine(line);
  }

  protected override nextSubmitId(): number {
    this.rpcId += 1;
    return this.rpcId;
  }

  protected override formatSubmit(id: number, f: SubmitFields): string {
    const line = nerdSubmit(id, f.worker, f.jobId, f.extranonce2, f.ntime, f.nonce);
    this.printAll(out.sending(line));
    return line;
  }

  private onLine(line: string): void {
    if (this.state === 'mining') {
      this.mainLoopLine(line);
      return;
    }
    if (this.inbox.length >= MAX_HANDSHAKE_INBOX) return this.dropConnection('receive buffer full');
    this.inbox.push(line);
    if (this.awaitingSubscribe !== undefined) {
      this.cancelTimer(this.awaitingSubscribe);
      this.awaitingSubscribe = undefined;
      this.handleSubscribeAnswer(this.inbox.shift() as string);
    }
  }

  /** tx_mining_subscribe: after the 200 ms delay, readStringUntil('\n') with a 1 s timeout. */
  private readSubscribeAnswer(): void {
    const line = this.inbox.shift();
    if (line !== undefined) {
      this.handleSubscribeAnswer(line);
      return;
    }
    this.awaitingSubscribe = this.connTimer(this.ctx.options.timers.subscribeReadTimeoutMs, () => {
      this.awaitingSubscribe = undefined;
      this.dropConnection('no subscribe answer');
    });
  }

  /** parse_mining_subscribe: the one line must be the answer, or the miner closes and retries. */
  private handleSubscribeAnswer(line: string): void {
    if (line.trim() === '') return this.dropConnection('empty subscribe answer');
    this.ctx.console(out.receiving(line));
    const doc = parseJson(line);
    if (doc === undefined || this.printedError(doc) || !('result' in doc)) {
      return this.dropConnection('subscribe answer expected');
    }
    const result = doc.result;
    const subDetails = cString(at(result, 0, 0, 1));
    const extranonce1 = cString(at(result, 1));
    const size = cInt(at(result, 2));
    this.printAll(out.subscribeDetails(subDetails, extranonce1, size));
    if (extranonce1.length === 0) {
      this.ctx.console(out.WORK_ABORTED);
      this.ctx.console(`extranonce1 length: ${extranonce1.length} `);
      return this.dropConnection('no extranonce1');
    }
    this.extranonce1 = extranonce1;
    this.extranonce2Size = size;
    this.ctx.emit('subscribed', { session: this.session, extranonce1, extranonce2Size: size });
    this.state = 'authorizing';
    this.rpcId += 1;
    this.authorizeId = this.rpcId;
    const auth = nerdAuthorize(this.rpcId, this.worker, this.ctx.options.password);
    this.ctx.console(out.AUTHORIZE_WORK);
    this.printAll(out.sendingWithBlank(auth));
    this.send(auth);
    this.connTimer(this.ctx.options.timers.handshakeWaitMs, () => this.startMining());
  }

  /** STEP 3 (suggest difficulty), then the main loop, which reads what queued up meanwhile. */
  private startMining(): void {
    this.sendSuggest();
    this.state = 'mining';
    const now = this.ctx.clock.now();
    this.lastTxAt = now;
    this.lastJobAt = now;
    this.armKeepalive();
    this.armZeroHashrate(this.totalHashes);
    this.armNoNotify();
    const queued = this.inbox;
    this.inbox = [];
    for (const line of queued) {
      if (this.state !== 'mining') break;
      this.mainLoopLine(line);
    }
  }

  private sendSuggest(): void {
    this.rpcId += 1;
    const line = nerdSuggestDifficulty(this.rpcId, this.suggested);
    this.printAll(out.sending(line));
    this.send(line);
  }

  /** parse_mining_method and the switch in runStratumWorker. */
  private mainLoopLine(line: string): void {
    if (line.trim() === '') return;
    this.ctx.console(out.receiving(line));
    const doc = parseJson(line);
    if (doc === undefined) return;
    const msg = safeParse(line);
    if (this.printedError(doc)) {
      // STRATUM_PARSE_ERROR: a pending submit with this id is refused.
      if (msg?.type === 'response' && typeof msg.id === 'number' && this.settleSubmit(msg) !== undefined) {
        this.ctx.console(out.refuseLine(msg.id));
      }
      if (msg?.type === 'response' && msg.id === this.authorizeId) this.authorized(msg);
      return;
    }
    const method = doc.method;
    if (method === undefined || method === null) {
      if (doc.error !== undefined && doc.error !== null) this.ctx.console(out.PARSED_UNKNOWN);
      if (msg?.type === 'response') {
        if (msg.id === this.authorizeId) this.authorized(msg);
        const verdict = this.settleSubmit(msg);
        if (verdict?.accepted && typeof msg.id === 'number' && this.share32Ids.delete(msg.id))
          this.shares32 += 1;
      }
      return;
    }
    if (method === 'mining.notify') {
      this.ctx.console(out.PARSING_NOTIFY);
      if (msg?.type === 'request' && msg.method === 'mining.notify') this.newJob(msg.params);
      return;
    }
    if (method === 'mining.set_difficulty') {
      this.ctx.console(out.PARSING_DIFFICULTY);
      // (double)doc["params"][0]: ArduinoJson reads a string as 0, and nothing is clamped.
      const raw = at(doc.params, 0);
      const d = typeof raw === 'number' ? raw : 0;
      this.ctx.console(out.difficultyLine(d));
      this.poolDifficulty = d;
      this.ctx.stats.difficulty = d;
      this.ctx.emit('difficulty', { session: this.session, difficulty: d });
      return;
    }
    this.ctx.console(out.PARSED_UNKNOWN);
    if (method === 'client.reconnect') {
      this.ctx.emit('reconnect-ignored', { session: this.session, params: doc.params ?? null });
    } else {
      this.ctx.emit('method-ignored', { session: this.session, method: String(method) });
    }
  }

  private authorized(msg: Response): void {
    this.authorizeId = -1;
    this.ctx.emit('authorized', { session: this.session, ok: msg.error === null && msg.result === true });
  }

  /** checkError: a non-empty "error" prints `ERROR: %d | reason: %s `. */
  private printedError(doc: Record<string, JsonValue>): boolean {
    const e = doc.error;
    if (e === undefined || e === null || typeof e !== 'object') return false;
    const size = Array.isArray(e) ? e.length : Object.keys(e).length;
    if (size === 0) return false;
    const code = Array.isArray(e) && typeof e[0] === 'number' ? Math.trunc(e[0]) : 0;
    const reason = Array.isArray(e) && typeof e[1] === 'string' ? e[1] : '(null)';
    this.ctx.console(out.errorLine(code, reason));
    return true;
  }

  private newJob(params: Parameters<typeof toMinerJob>[0]): void {
    if (params.cleanJobs && this.work !== undefined) this.retireJobIds([this.work.job.params.jobId]);
    const job = toMinerJob(params);
    const en2 = nerdExtranonce2(this.extranonce2Size);
    if (!en2.known) this.ctx.console(out.UNKNOWN_EXTRANONCE2);
    this.work = new HeaderWork(job, this.extranonce1, en2.extranonce2);
    this.ctx.console(out.targetLine(nbitsTargetHex(job.prepared.nbits)));
    // Every notify aborts the work in progress, clean_jobs or not.
    this.chunk = undefined;
    this.noncePool = NERDMINER_NONCE_START;
    this.chunkTurn = 0;
    this.chunkOffset = 0;
    this.lastJobAt = this.ctx.clock.now();
    this.ctx.stats.jobs += 1;
    this.ctx.emit('job', { session: this.session, jobId: params.jobId, cleanJobs: params.cleanJobs });
    this.ctx.scheduler.wake();
  }

  private newChunk(): Chunk {
    const size = NERDMINER_CHUNKS[this.chunkTurn % NERDMINER_CHUNKS.length] as number;
    const offset = this.chunkOffset;
    this.chunkTurn += 1;
    this.chunkOffset = offset + size;
    return {
      next: offset,
      end: offset + size,
      startDifficulty: this.poolDifficulty,
      bestDifficulty: this.poolDifficulty,
      bestNonce: undefined,
      bestWords: new Int32Array(8),
    };
  }

  /** processResult: the chunk's best hash goes out if it beats the pool difficulty now in force. */
  private finishChunk(work: HeaderWork, c: Chunk): void {
    this.chunk = undefined;
    if (c.bestNonce === undefined || !(c.bestDifficulty > this.poolDifficulty) || !this.connected) return;
    const confirmed = confirmHash(work, c.bestNonce, c.bestWords);
    const id = this.rpcId + 1;
    this.submitShare(
      {
        work,
        nonce: c.bestNonce,
        version: work.currentVersion,
        shareDifficulty: confirmed.difficulty,
        targetDifficulty: this.poolDifficulty,
      },
      nerdNonceHex,
    );
    this.printAll(out.txShareLines(c.bestDifficulty, this.poolDifficulty, confirmed.hash.toString('hex')));
    this.lastTxAt = this.ctx.clock.now();
    const h = confirmed.hash;
    if (h[31] === 0 && h[30] === 0 && h[29] === 0 && h[28] === 0) this.share32Ids.add(id);
  }

  private armKeepalive(): void {
    const due = this.lastTxAt + this.ctx.options.timers.keepaliveMs - this.ctx.clock.now();
    this.connTimer(Math.max(1, due), () => {
      if (this.ctx.clock.now() - this.lastTxAt >= this.ctx.options.timers.keepaliveMs) {
        this.lastTxAt = this.ctx.clock.now();
        this.sendSuggest();
      }
      this.armKeepalive();
    });
  }

  private armZeroHashrate(hashesAtArm: number): void {
    this.connTimer(this.ctx.options.timers.zeroHashrateMs, () => {
      if (this.totalHashes === hashesAtArm) {
        this.ctx.console(out.STALLED);
        this.dropConnection('no hashing for 60 s');
        return;
      }
      this.armZeroHashrate(this.totalHashes);
    });
  }

  private armNoNotify(): void {
    const due = this.lastJobAt + this.ctx.options.timers.noNotifyMs - this.ctx.clock.now();
    this.connTimer(Math.max(1, due), () => {
      if (this.ctx.clock.now() - this.lastJobAt >= this.ctx.options.timers.noNotifyMs) {
        this.dropConnection('no notify for 10 min');
        return;
      }
      this.armNoNotify();
    });
  }

  private startMonitor(): void {
    const every = this.ctx.options.timers.hashrateLogMs;
    this.monitor = this.ctx.clock.setTimeout(() => {
      const kh = (this.totalHashes - this.hashesAtLog) / 1000;
      this.hashesAtLog = this.totalHashes;
      this.ctx.console(out.hashrateLine(this.shares32, this.totalHashes / 1000, kh / (every / 1000)));
      this.startMonitor();
    }, every);
  }

  private printAll(lines: string[]): void {
    for (const line of lines) this.ctx.console(line);
  }
}

function parseJson(line: string): Record<string, JsonValue> | undefined {
  try {
    const v = JSON.parse(line) as JsonValue;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function safeParse(line: string): StratumMessage | undefined {
  try {
    return parseMessage(line);
  } catch {
    return undefined;
  }
}

/** ArduinoJson's doc["a"][i][j]: undefined for any missing step. */
function at(value: JsonValue | undefined, ...path: number[]): JsonValue | undefined {
  let v = value;
  for (const i of path) {
    if (!Array.isArray(v)) return undefined;
    v = v[i];
  }
  return v;
}

/** String((const char*) v): non-strings read as null, which String() turns into "". */
function cString(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

function cInt(v: JsonValue | undefined): number {
  return typeof v === 'number' ? Math.trunc(v) : 0;
}
