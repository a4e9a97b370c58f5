/**
 * One session of a GPU rig: the rig (a single SimulatedMiner) opens several of these under the
 * same worker name, one per card, splitting its hashrate, as multi-GPU rigs and farm proxies do.
 * Behaviour follows cgminer (util.c parse_method, initiate_stratum, auth_stratum):
 * - mining.configure first, then subscribe, then authorize, each after the previous answer;
 * - rolls version bits inside the negotiated mask and sends them as a 6th param (BIP310 formula);
 * - every notify (clean or not) and every set_difficulty applies at once;
 * - extranonce2 is a little-endian counter that keeps counting across jobs;
 * - honours set_extranonce and client.reconnect (to the host and port given, else the same pool),
 *   answers client.get_version, ignores mining.ping.
 */
import { difficultyToTarget } from '../../../stratum/difficulty.js';
import type { JobParams, StratumMessage } from '../../../stratum/messages.js';
import { parseConfigureResult, parseSubscribeResult } from '../../../stratum/subscribe-result.js';
import { counterHexLE } from '../c-format.js';
import { MinerSession, type ReconnectCause, type SubmitFields } from '../miner-session.js';
import { meetsTargetLimbs, targetLimbs } from '../sha256-midstate.js';
import { HeaderWork, confirmHash, toMinerJob, type MinerJob } from '../work.js';
import {
  GPU_REQUESTED_MASK,
  gpuAuthorize,
  gpuConfigure,
  gpuSubmit,
  gpuSubscribe,
  gpuVersionReply,
} from './gpu-wire.js';
import { depositBits, rollCount } from './version-roll.js';

/** Nonces per rolled version, and versions per work item, before the next extranonce2. */
export const GPU_NONCES_PER_VERSION = 0x4000;
export const GPU_VERSIONS_PER_WORK = 16;

type State = 'idle' | 'configuring' | 'subscribing' | 'authorizing' | 'mining';

export class GpuSession extends MinerSession {
  private state: State = 'idle';
  private rpcId = 0;
  private pendingId = -1;
  private versionMask = 0;
  private extranonce1 = '';
  private extranonce2Size = 0;
  private extranonce2 = 0n;
  private difficulty = 1;
  private limbs: Uint32Array = targetLimbs(difficultyToTarget(1));
  private job: MinerJob | undefined;
  private work: HeaderWork | undefined;
  private roll = 0;
  private offset = 0;
  private readonly words = new Int32Array(8);

  hasWork(): boolean {
    return this.state === 'mining' && this.work !== undefined && this.connected;
  }

  hashBatch(max: number): number {
    let done = 0;
    while (done < max && this.work !== undefined) {
      const work = this.work;
      const n = Math.min(max - done, GPU_NONCES_PER_VERSION - this.offset);
      const base = this.roll * GPU_NONCES_PER_VERSION;
      for (let i = 0; i < n; i += 1) {
        const nonce = (base + this.offset + i) >>> 0;
        work.hash(nonce, this.words);
        if (meetsTargetLimbs(this.words, this.limbs)) this.found(work, nonce);
      }
      done += n;
      this.offset += n;
      if (this.offset >= GPU_NONCES_PER_VERSION) this.nextVersion();
    }
    this.ctx.stats.hashes += done;
    return done;
  }

  protected override reconnectDelayMs(cause: ReconnectCause): number {
    return cause === 'connect-failed' ? this.randomReconnectDelay() : 0;
  }

  protected override onConnected(): void {
    this.state = 'configuring';
    this.request(gpuConfigure);
  }

  protected override onDisconnected(): void {
    this.state = 'idle';
    this.work = undefined;
    this.job = undefined;
  }

  protected override nextSubmitId(): number {
    this.rpcId += 1;
    return this.rpcId;
  }

  protected override formatSubmit(id: number, f: SubmitFields): string {
    return gpuSubmit(id, f.worker, f.jobId, f.extranonce2, f.ntime, f.nonce, f.versionBits);
  }

  protected override onMessage(msg: StratumMessage): void {
    if (msg.type === 'response') return this.onResponse(msg);
    if (msg.type === 'unknown') {
      this.ctx.emit('method-ignored', { session: this.session, method: msg.method });
      return;
    }
    switch (msg.method) {
      case 'mining.notify':
        return this.onNotify(msg.params);
      case 'mining.set_difficulty':
        this.setDifficulty(msg.params.difficulty);
        return;
      case 'mining.set_extranonce':
        this.extranonce1 = msg.params.extranonce1;
        this.extranonce2Size = msg.params.extranonce2Size;
        this.newWork();
        return;
      case 'client.reconnect':
        this.followRedirect(msg.params.host, msg.params.port);
        this.dropConnection('client.reconnect');
        return;
      case 'client.get_version':
        if (typeof msg.id === 'number') this.send(gpuVersionReply(msg.id));
        return;
      default:
        this.ctx.emit('method-ignored', { session: this.session, method: msg.method });
    }
  }

  private request(format: (id: number) => string): void {
    this.rpcId += 1;
    this.pendingId = this.rpcId;
    this.send(format(this.rpcId));
  }

  private onResponse(msg: Extract<StratumMessage, { type: 'response' }>): void {
    if (msg.id !== this.pendingId) {
      this.settleSubmit(msg);
      return;
    }
    this.pendingId = -1;
    switch (this.state) {
      case 'configuring': {
        const granted = parseConfigureResult(msg.result);
        this.versionMask = granted === null ? 0 : (granted & Number.parseInt(GPU_REQUESTED_MASK, 16)) >>> 0;
        this.state = 'subscribing';
        this.request(gpuSubscribe);
        return;
      }
      case 'subscribing': {
        let sub;
        try {
          sub = parseSubscribeResult(msg.result);
        } catch {
          return this.dropConnection('bad subscribe answer');
        }
        this.extranonce1 = sub.extranonce1;
        this.extranonce2Size = sub.extranonce2Size;
        this.ctx.emit('subscribed', {
          session: this.session,
          extranonce1: sub.extranonce1,
          extranonce2Size: sub.extranonce2Size,
        });
        this.state = 'authorizing';
        this.request((id) => gpuAuthorize(id, this.worker, this.ctx.options.password));
        return;
      }
      case 'authorizing': {
        const ok = msg.error === null && msg.result === true;
        this.ctx.emit('authorized', { session: this.session, ok });
        if (!ok) return this.dropConnection('authorize refused');
        this.state = 'mining';
        this.newWork();
        return;
      }
      default:
        return;
    }
  }

  private setDifficulty(difficulty: number): void {
    this.difficulty = difficulty;
    this.limbs = targetLimbs(difficultyToTarget(difficulty));
    this.ctx.stats.difficulty = difficulty;
    this.ctx.emit('difficulty', { session: this.session, difficulty });
  }

  private onNotify(params: JobParams): void {
    if (params.cleanJobs && this.job !== undefined) this.retireJobIds([this.job.params.jobId]);
    this.job = toMinerJob(params);
    this.ctx.stats.jobs += 1;
    this.ctx.emit('job', { session: this.session, jobId: params.jobId, cleanJobs: params.cleanJobs });
    this.newWork();
  }

  private newWork(): void {
    if (this.job === undefined || this.state !== 'mining') return;
    const en2 = counterHexLE(this.extranonce2, this.extranonce2Size);
    this.extranonce2 = (this.extranonce2 + 1n) % 2n ** BigInt(8 * this.extranonce2Size);
    this.work = new HeaderWork(this.job, this.extranonce1, en2);
    this.roll = 0;
    this.offset = 0;
    this.ctx.scheduler.wake();
  }

  private nextVersion(): void {
    this.offset = 0;
    this.roll += 1;
    const rolls = Math.min(GPU_VERSIONS_PER_WORK, rollCount(this.versionMask));
    if (this.roll >= rolls || this.work === undefined) {
      this.newWork();
      return;
    }
    const base = this.work.job.prepared.version;
    this.work.setVersion(((base & ~this.versionMask) | depositBits(this.roll, this.versionMask)) >>> 0);
  }

  private found(work: HeaderWork, nonce: number): void {
    const confirmed = confirmHash(work, nonce, this.words);
    const version = work.currentVersion;
    const share = {
      work,
      nonce,
      version,
      shareDifficulty: confirmed.difficulty,
      targetDifficulty: this.difficulty,
    };
    this.submitShare(
      this.versionMask === 0 ? share : { ...share, versionBits: (version & this.versionMask) >>> 0 },
    );
  }
}
