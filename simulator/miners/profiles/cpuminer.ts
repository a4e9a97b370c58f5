/**
 * pooler's cpuminer 2.5.1 with one thread, after util.c (stratum_subscribe, stratum_authorize,
 * stratum_handle_method, stratum_notify, stratum_set_difficulty, stratum_reconnect) and
 * cpu-miner.c (stratum_thread, stratum_gen_work, submit_upstream_work):
 * - subscribe, wait for its answer (a failed answer is retried once without the user agent), then
 *   authorize, reading lines until one is not a method it knows: that one is taken as the
 *   authorize answer (so a mining.ping or set_extranonce before it fails the login);
 * - set_difficulty applies from the next notify; every submit has id 4;
 * - extranonce2 counts up little-endian for each new work, from zero for each new job id;
 * - client.reconnect with host and port moves to that pool at once (--no-redirect not set);
 * - ignores mining.set_extranonce and mining.ping; answers client.get_version and show_message;
 * - reconnects at once after a drop and waits 30 s (--retry-pause) after a failed connect, subscribe
 *   or authorize (stratum_thread retries the three together after opt_fail_pause).
 */
import { difficultyToTarget } from '../../../stratum/difficulty.js';
import type { JobParams, JsonValue, StratumMessage } from '../../../stratum/messages.js';
import { parseSubscribeResult } from '../../../stratum/subscribe-result.js';
import { counterHexLE } from '../c-format.js';
import { MinerSession, type ReconnectCause, type SubmitFields } from '../miner-session.js';
import { meetsTargetLimbs, targetLimbs } from '../sha256-midstate.js';
import { HeaderWork, confirmHash, toMinerJob, type MinerJob } from '../work.js';
import {
  CPUMINER_SUBMIT_ID,
  cpuAuthorize,
  cpuGetVersionReply,
  cpuShowMessageReply,
  cpuSubmit,
  cpuSubscribe,
  cpuSubscribeRetry,
} from './cpuminer-wire.js';

type State = 'idle' | 'subscribing' | 'authorizing' | 'mining';

export class CpuMinerSession extends MinerSession {
  private state: State = 'idle';
  /** The last connection closed before the login finished: stratum_thread then sleeps opt_fail_pause. */
  private loginFailed = false;
  private retried = false;
  private extranonce1 = '';
  private extranonce2Size = 0;
  private nextDifficulty = 1;
  private job: MinerJob | undefined;
  private jobDifficulty = 1;
  private extranonce2 = 0n;
  private work: HeaderWork | undefined;
  private limbs: Uint32Array = new Uint32Array(8);
  private nonce = 0;
  private readonly words = new Int32Array(8);

  hasWork(): boolean {
    return this.state === 'mining' && this.work !== undefined && this.connected;
  }

  hashBatch(max: number): number {
    let done = 0;
    while (done < max && this.work !== undefined) {
      const work = this.work;
      const nonce = this.nonce;
      work.hash(nonce, this.words);
      done += 1;
      this.nonce = (nonce + 1) >>> 0;
      if (meetsTargetLimbs(this.words, this.limbs)) this.found(work, nonce);
      if (this.nonce === 0) this.genWork();
    }
    this.ctx.stats.hashes += done;
    return done;
  }

  protected override reconnectDelayMs(cause: ReconnectCause): number {
    return cause === 'connect-failed' || this.loginFailed ? this.randomReconnectDelay() : 0;
  }

  protected override onConnected(): void {
    this.state = 'subscribing';
    this.retried = false;
    this.send(cpuSubscribe());
    this.connTimer(this.ctx.options.timers.subscribeReadTimeoutMs, () => {
      if (this.state === 'subscribing') this.dropConnection('stratum_subscribe timed out');
    });
  }

  protected override onDisconnected(): void {
    this.loginFailed = this.state === 'subscribing' || this.state === 'authorizing';
    this.state = 'idle';
    this.work = undefined;
    this.job = undefined;
  }

  protected override nextSubmitId(): number {
    return CPUMINER_SUBMIT_ID;
  }

  protected override formatSubmit(_id: number, f: SubmitFields): string {
    return cpuSubmit(f.worker, f.jobId, f.extranonce2, f.ntime, f.nonce);
  }

  protected override onUnparsable(): void {
    if (this.state === 'subscribing') this.subscribeFailed();
    else if (this.state === 'authorizing') this.dropConnection('Stratum authentication failed');
  }

  protected override onMessage(msg: StratumMessage): void {
    if (this.state === 'subscribing') return this.onSubscribeAnswer(msg);
    if (this.handleMethod(msg)) return;
    if (this.state === 'authorizing') return this.onAuthorizeAnswer(msg);
    if (msg.type === 'response') this.settleSubmit(msg);
    else if (msg.method !== 'client.reconnect') {
      this.ctx.emit('method-ignored', { session: this.session, method: msg.method });
    }
  }

  private onSubscribeAnswer(msg: StratumMessage): void {
    if (msg.type !== 'response' || msg.result === null || msg.error !== null) return this.subscribeFailed();
    let sub;
    try {
      sub = parseSubscribeResult(msg.result);
    } catch {
      return this.dropConnection('Failed to get extranonce1');
    }
    this.extranonce1 = sub.extranonce1;
    this.extranonce2Size = sub.extranonce2Size;
    this.nextDifficulty = 1.0;
    this.ctx.emit('subscribed', {
      session: this.session,
      extranonce1: sub.extranonce1,
      extranonce2Size: sub.extranonce2Size,
    });
    this.state = 'authorizing';
    this.send(cpuAuthorize(this.worker, this.ctx.options.password));
  }

  private subscribeFailed(): void {
    if (this.retried) return this.dropConnection('stratum_subscribe failed');
    this.retried = true;
    this.send(cpuSubscribeRetry());
  }

  private onAuthorizeAnswer(msg: StratumMessage): void {
    const ok = msg.type === 'response' && msg.result !== null && msg.result !== false && msg.error === null;
    this.ctx.emit('authorized', { session: this.session, ok });
    if (!ok) return this.dropConnection('Stratum authentication failed');
    this.state = 'mining';
    this.ctx.scheduler.wake();
  }

  /** stratum_handle_method: true when the line was a method cpuminer knows. */
  private handleMethod(msg: StratumMessage): boolean {
    if (msg.type !== 'request') return false;
    switch (msg.method) {
      case 'mining.notify':
        this.onNotify(msg.params);
        return true;
      case 'mining.set_difficulty':
        this.nextDifficulty = msg.params.difficulty;
        this.ctx.emit('difficulty', { session: this.session, difficulty: msg.params.difficulty });
        return true;
      case 'client.reconnect': {
        const { host, port } = msg.params;
        if (host === undefined || port === undefined) {
          this.ctx.emit('reconnect-ignored', { session: this.session, params: [] as JsonValue });
          return false;
        }
        this.followRedirect(host, port);
        this.dropConnection('client.reconnect');
        return true;
      }
      case 'client.get_version':
        if (msg.id === null) return false;
        this.send(cpuGetVersionReply(JSON.stringify(msg.id)));
        return true;
      case 'client.show_message':
        if (msg.id !== null) this.send(cpuShowMessageReply(JSON.stringify(msg.id)));
        return true;
      default:
        return false;
    }
  }

  /** stratum_notify + stratum_gen_work: the job takes the difficulty set before it. */
  private onNotify(params: JobParams): void {
    if (params.cleanJobs && this.job !== undefined) this.retireJobIds([this.job.params.jobId]);
    const sameJob = this.job?.params.jobId === params.jobId;
    this.job = toMinerJob(params);
    this.jobDifficulty = this.nextDifficulty;
    this.ctx.stats.difficulty = this.jobDifficulty;
    this.limbs = targetLimbs(difficultyToTarget(this.jobDifficulty));
    if (!sameJob) this.extranonce2 = 0n;
    this.ctx.stats.jobs += 1;
    this.ctx.emit('job', { session: this.session, jobId: params.jobId, cleanJobs: params.cleanJobs });
    this.genWork();
    this.ctx.scheduler.wake();
  }

  private genWork(): void {
    if (this.job === undefined) return;
    this.work = new HeaderWork(
      this.job,
      this.extranonce1,
      counterHexLE(this.extranonce2, this.extranonce2Size),
    );
    this.extranonce2 = (this.extranonce2 + 1n) % 2n ** BigInt(8 * this.extranonce2Size);
    this.nonce = 0;
  }

  private found(work: HeaderWork, nonce: number): void {
    const confirmed = confirmHash(work, nonce, this.words);
    this.submitShare({
      work,
      nonce,
      version: work.currentVersion,
      shareDifficulty: confirmed.difficulty,
      targetDifficulty: this.jobDifficulty,
    });
  }
}
