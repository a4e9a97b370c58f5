import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, CommandMessage } from './messages.js';

/** How long a child may take to report ready. */
export const DEFAULT_READY_TIMEOUT_MS = 30_000;
/** How long a command may take unless the caller says otherwise. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

export type ChildScript =
  'pool-proc' | 'proxy-proc' | 'cluster-proc' | 'relay-proc' | 'miners-proc' | 'fanout-proc';

export interface StartChildOptions {
  /** Node flags for the child, e.g. --expose-gc. */
  execArgv?: string[];
  readyTimeoutMs?: number;
  onProgress?: (info: Record<string, unknown>) => void;
}

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One bench child process (pool, proxy, relay or a swarm of miners), started from its compiled
 * script next to this file, driven by numbered commands over IPC. Every wait is bounded.
 */
export class BenchChild {
  readonly info: Record<string, unknown>;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private exited = false;

  private constructor(
    readonly name: string,
    private readonly proc: ChildProcess,
    info: Record<string, unknown>,
  ) {
    this.info = info;
    proc.on('message', (msg: ChildMessage) => {
      if (msg.type !== 'reply') return;
      const w = this.waiting.get(msg.id);
      if (!w) return;
      this.waiting.delete(msg.id);
      clearTimeout(w.timer);
      if (msg.ok) w.resolve(msg.result);
      else w.reject(new Error(`${name}: ${msg.error}`));
    });
    proc.on('exit', (code, signal) => {
      this.exited = true;
      for (const [id, w] of this.waiting) {
        clearTimeout(w.timer);
        this.waiting.delete(id);
        w.reject(new Error(`${name} exited (${signal ?? code}) before answering`));
      }
    });
  }

  static start(script: ChildScript, argument: unknown, o: StartChildOptions = {}): Promise<BenchChild> {
    const path = fileURLToPath(new URL(`./${script}.js`, import.meta.url));
    const proc = fork(path, [JSON.stringify(argument)], {
      execArgv: o.execArgv ?? [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timeoutMs = o.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      let child: BenchChild | undefined;
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`${script} not ready within ${timeoutMs} ms`));
      }, timeoutMs);
      proc.on('message', (msg: ChildMessage) => {
        if (msg.type === 'progress') o.onProgress?.(msg.info);
        else if (msg.type === 'fatal') {
          clearTimeout(timer);
          reject(new Error(`${script} failed to start: ${msg.error}`));
        } else if (msg.type === 'ready' && !child) {
          clearTimeout(timer);
          child = new BenchChild(script, proc, msg.info);
          resolve(child);
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        if (!child) reject(new Error(`${script} exited with ${code} before it was ready`));
      });
    });
  }

  get pid(): number {
    return this.proc.pid as number;
  }

  get port(): number {
    const port = this.info.port;
    if (typeof port !== 'number') throw new Error(`${this.name} reported no port`);
    return port;
  }

  call<T>(cmd: string, payload?: unknown, timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${this.name}: ${cmd} not answered within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      const msg: CommandMessage = { id, cmd, ...(payload === undefined ? {} : { payload }) };
      this.proc.send(msg);
    });
  }

  /** Asks the child to stop cleanly; kills it if it has not exited within a few seconds. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    try {
      await this.call('stop', undefined, STOP_GRACE_MS);
    } catch {
      // killed below
    }
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
}

/** Resident set size of a process in bytes, from /proc/<pid>/status (VmRSS); undefined off Linux. */
export async function residentBytes(pid: number): Promise<number | undefined> {
  const { readFile } = await import('node:fs/promises');
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
