/**
 * Bitaxe running ESP-Miner, after bitaxeorg/ESP-Miner main/tasks/stratum_task.c,
 * main/tasks/create_jobs_task.c, main/tasks/asic_result_task.c and
 * components/stratum/stratum_api.c:
 * - mining.configure (mask ffffffff), subscribe `bitaxe/<ASIC>/<version>` and authorize go out
 *   back to back; suggest_difficulty (an integer, 1000 by default) only after authorize succeeds;
 * - a notify with clean_jobs switches work at once; without, the ASIC keeps its work until the next
 *   job interval; set_difficulty and set_version_mask take effect with the next job;
 * - extranonce2 is a little-endian counter, reset per job and bumped with each new ASIC work;
 * - shares are sent when their difficulty is >= the job's, always with 6 params, the version bits
 *   being rolled_version XOR job version (`%08lx`);
 * - honours set_extranonce, client.reconnect (closes, waits 1 s, reconnects to the same pool; host
 *   and port ignored), answers mining.ping with a "pong" request and client.get_version.
 */
import { difficultyToTarget } from '../../../stratum/difficulty.js';
import type { JobParams, StratumMessage } from '../../../stratum/messages.js';
import { parseConfigureResult, parseSubscribeResult } from '../../../stratum/subscribe-result.js';
import { counterHexLE } from '../c-format.js';
import {
  MinerSession,
  type ReconnectCause,
  type SessionContext,
  type SubmitFields,
} from '../miner-session.js';
import { meetsTargetLimbs, targetLimbs } from '../sha256-midstate.js';
import { HeaderWork, confirmHash, toMinerJob, type MinerJob } from '../work.js';
import {
  BIP320_VERSION_ROLLING_MASK,
  BITAXE_DEFAULT_DIFFICULTY,
  BITAXE_DEFAULT_MODEL,
  BITAXE_DEFAULT_VERSION,
  axeAuthorize,
  axeConfigure,
  axeExtranonceSubscribe,
  axePong,
  axeSubmit,
  axeSubscribe,
  axeSuggestDifficulty,
  axeVersion,
} from './bitaxe-wire.js';
import { espLog } from './esp-log.js';
import { depositBits, rollCount } from './version-roll.js';

/** Nonces the simulated ASIC scans per rolled version before rolling the next one. */
export const BITAXE_NONCES_PER_VERSION = 0x10000;
/** A failed connect is retried after 5 s (stratum_task.c), a dropped one after 1 s. */
const CONNECT_RETRY_FACTOR = 5;

interface AsicWork {
  work: HeaderWork;
  difficulty: number;
  limbs: Uint32Array;
  mask: number;
  rolls: number;
  roll: number;
  nonceBase: number;
  offset: number;
}

export class BitaxeSession extends MinerSession {
  private sendUid = 1;
  private configureId = -1;
  private authorizeId = -1;
  private extranonce1 = '';
  private extranonce2Size = 0;
  private versionMask = 0;
  private pendingMask: number | undefined;
  private poolDifficulty = 1;
  private pendingDifficulty: number | undefined;
  private current: MinerJob | undefined;
  private extranonce2 = 0n;
  private asic: AsicWork | undefined;
  private jobTimer: ReturnType<SessionContext['clock']['setTimeout']> | undefined;
  private readonly words = new Int32Array(8);
  private readonly startedAt: number;

  constructor(ctx: SessionContext) {
    super(ctx);
    this.startedAt = ctx.clock.now();
  }

  hasWork(): boolean {
    return this.asic !== undefined && this.connected;
  }

  hashBatch(max: number): number {
    let done = 0;
    while (done < max && this.asic !== undefined) {
      const a = this.asic;
      const n = Math.min(max - done, BITAXE_NONCES_PER_VERSION - a.offset);
      for (let i = 0; i < n; i += 1) {
        const nonce = (a.nonceBase + a.offset + i) >>> 0;
        a.work.hash(nonce, this.words);
        if (meetsTargetLimbs(this.words, a.limbs)) this.found(a, nonce);
      }
      done += n;
      a.offset += n;
      if (a.offset >= BITAXE_NONCES_PER_VERSION) this.nextRoll(a);
    }
    this.ctx.stats.hashes += done;
    return done;
  }

  protected override reconnectDelayMs(cause: ReconnectCause): number {
    const delay = this.randomReconnectDelay();
    return cause === 'connect-failed' ? delay * CONNECT_RETRY_FACTOR : delay;
  }

  protected override onConnected(): void {
    this.sendUid = 1;
    this.configureId = this.sendUid++;
    this.tx(axeConfigure(this.configureId));
    const model = this.ctx.options.model ?? BITAXE_DEFAULT_MODEL;
    this.tx(axeSubscribe(this.sendUid++, model, this.firmwareVersion));
    this.authorizeId = this.sendUid++;
    this.tx(axeAuthorize(this.authorizeId, this.worker, this.ctx.options.password));
  }

  protected override onDisconnected(): void {
    this.console('E', 'stratum_task', 'Shutting down socket and restarting...');
    this.asic = undefined;
    this.current = undefined;
    this.jobTimer = undefined;
  }

  protected override nextSubmitId(): number {
    return this.sendUid++;
  }

  protected override formatSubmit(id: number, f: SubmitFields): string {
    const line = axeSubmit(
      id,
      f.worker,
      f.jobId,
      f.extranonce2,
      f.ntime,
      f.nonce,
      f.versionBits ?? '00000000',
    );
    this.console('I', 'stratum_api', `tx: ${line}`);
    return line;
  }

  protected override onMessage(msg: StratumMessage, line: string): void {
    this.console('I', 'stratum_api', `rx: ${line}`);
    if (msg.type === 'response') return this.onResponse(msg);
    if (msg.type === 'unknown') {
      this.ctx.emit('method-ignored', { session: this.session, method: msg.method });
      return;
    }
    switch (msg.method) {
      case 'mining.notify':
        return this.onNotify(msg.params);
      case 'mining.set_difficulty':
        this.pendingDifficulty = msg.params.difficulty;
        this.ctx.emit('difficulty', { session: this.session, difficulty: msg.params.difficulty });
        return;
      case 'mining.set_version_mask':
        this.pendingMask = (Number.parseInt(msg.params.mask, 16) & BIP320_VERSION_ROLLING_MASK) >>> 0;
        return;
      case 'mining.set_extranonce':
        this.extranonce1 = msg.params.extranonce1;
        this.extranonce2Size = msg.params.extranonce2Size;
        this.console(
          'I',
          'stratum_task',
          `Set extranonce: ${this.extranonce1}, extranonce_2_len: ${this.extranonce2Size}`,
        );
        return;
      case 'mining.ping':
        if (typeof msg.id === 'number') this.tx(axePong(msg.id));
        return;
      case 'client.get_version':
        if (typeof msg.id === 'number') this.tx(axeVersion(msg.id, this.firmwareVersion));
        return;
      case 'client.reconnect':
        this.console('E', 'stratum_task', 'Pool requested client reconnect...');
        this.dropConnection('client.reconnect');
        return;
      case 'client.show_message':
        this.console('I', 'stratum_api', `Pool message: ${msg.params.message}`);
        return;
      default:
        this.ctx.emit('method-ignored', { session: this.session, method: msg.method });
    }
  }

  private get firmwareVersion(): string {
    return this.ctx.options.firmwareVersion ?? BITAXE_DEFAULT_VERSION;
  }

  private onResponse(msg: Extract<StratumMessage, { type: 'response' }>): void {
    const verdict = this.settleSubmit(msg);
    if (verdict !== undefined) {
      if (verdict.accepted) this.console('I', 'stratum_task', 'message result accepted');
      else this.console('W', 'stratum_task', `message result rejected: ${verdict.message}`);
      return;
    }
    if (msg.id === this.configureId) {
      const mask = parseConfigureResult(msg.result);
      this.versionMask = mask === null ? 0 : (mask & BIP320_VERSION_ROLLING_MASK) >>> 0;
      return;
    }
    if (Array.isArray(msg.result) && msg.result.length >= 3) {
      try {
        const sub = parseSubscribeResult(msg.result);
        this.extranonce1 = sub.extranonce1;
        this.extranonce2Size = sub.extranonce2Size;
        this.ctx.emit('subscribed', {
          session: this.session,
          extranonce1: sub.extranonce1,
          extranonce2Size: sub.extranonce2Size,
        });
      } catch {
        this.console('E', 'stratum_api', 'Invalid extranonce data in subscribe result');
      }
      return;
    }
    if (msg.id === this.authorizeId) {
      const ok = msg.error === null && msg.result === true;
      this.ctx.emit('authorized', { session: this.session, ok });
      if (!ok) return;
      const difficulty = this.ctx.options.suggestDifficulty ?? BITAXE_DEFAULT_DIFFICULTY;
      if (difficulty > 0) this.tx(axeSuggestDifficulty(this.sendUid++, difficulty));
      if (this.ctx.options.extranonceSubscribe) this.tx(axeExtranonceSubscribe(this.sendUid++));
    }
  }

  /** stratum_task + create_jobs_task: clean jobs switch now, others at the next job interval. */
  private onNotify(params: JobParams): void {
    if (params.cleanJobs && this.current !== undefined) this.retireJobIds([this.current.params.jobId]);
    this.current = toMinerJob(params);
    this.extranonce2 = 0n;
    if (this.pendingDifficulty !== undefined) {
      this.poolDifficulty = this.pendingDifficulty;
      this.pendingDifficulty = undefined;
      this.ctx.stats.difficulty = this.poolDifficulty;
    }
    if (this.pendingMask !== undefined) {
      this.versionMask = this.pendingMask;
      this.pendingMask = undefined;
    }
    this.ctx.stats.jobs += 1;
    this.ctx.emit('job', { session: this.session, jobId: params.jobId, cleanJobs: params.cleanJobs });
    if (params.cleanJobs || this.asic === undefined) this.generateWork();
  }

  private generateWork(): void {
    this.cancelTimer(this.jobTimer);
    this.jobTimer = undefined;
    const job = this.current;
    if (job === undefined || !this.connected) return;
    const en2 = counterHexLE(this.extranonce2, this.extranonce2Size);
    this.extranonce2 += 1n;
    this.asic = {
      work: new HeaderWork(job, this.extranonce1, en2),
      difficulty: this.poolDifficulty,
      limbs: targetLimbs(difficultyToTarget(this.poolDifficulty)),
      mask: this.versionMask,
      rolls: rollCount(this.versionMask),
      roll: 0,
      nonceBase: 0,
      offset: 0,
    };
    this.jobTimer = this.connTimer(this.ctx.options.timers.jobIntervalMs, () => {
      this.jobTimer = undefined;
      this.generateWork();
    });
    this.ctx.scheduler.wake();
  }

  private nextRoll(a: AsicWork): void {
    a.offset = 0;
    a.roll += 1;
    if (a.roll >= a.rolls) {
      a.roll = 0;
      a.nonceBase = (a.nonceBase + BITAXE_NONCES_PER_VERSION) >>> 0;
    }
    const base = a.work.job.prepared.version;
    a.work.setVersion(((base & ~a.mask) | depositBits(a.roll, a.mask)) >>> 0);
  }

  /** asic_result_task: nonce_diff >= pool_diff goes out with rolled_version ^ job version. */
  private found(a: AsicWork, nonce: number): void {
    const confirmed = confirmHash(a.work, nonce, this.words);
    const rolled = a.work.currentVersion;
    this.submitShare({
      work: a.work,
      nonce,
      version: rolled,
      versionBits: (rolled ^ a.work.job.prepared.version) >>> 0,
      shareDifficulty: confirmed.difficulty,
      targetDifficulty: a.difficulty,
    });
  }

  private tx(line: string): void {
    this.console('I', 'stratum_api', `tx: ${line}`);
    this.send(line);
  }

  private console(level: 'E' | 'W' | 'I', tag: string, message: string): void {
    this.ctx.console(espLog(level, this.ctx.clock.now() - this.startedAt, tag, message));
  }
}
