import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstat, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../runtime/clock.js';
import type { Clock } from '../../runtime/clock.js';
import { clockSleep } from '../boards/sleep.js';
import { PtyPairError } from '../errors.js';

/** How long socat may take to create both pseudo-terminals. */
export const DEFAULT_PTY_READY_TIMEOUT_MS = 5000;
/** How long socat may take to exit after SIGTERM before it gets SIGKILL. */
const KILL_GRACE_MS = 2000;
const POLL_MS = 10;

/** Two linked pseudo-terminals: bytes written to one come out of the other, like a null-modem cable. */
export interface PtyPair {
  /** Path of one end (a symlink to /dev/pts/N). */
  readonly a: string;
  /** Path of the other end. */
  readonly b: string;
  /** socat's process id (killing it is unplugging the cable). */
  readonly pid: number | undefined;
  /** Resolves when socat exits, for whatever reason (close() or not): the pair is then broken. */
  readonly exited: Promise<void>;
  /** Stops socat and removes the links. */
  close(): Promise<void>;
}

export interface PtyPairOptions {
  /** Where the links go; the system temp directory by default. */
  dir?: string;
  socatPath?: string;
  readyTimeoutMs?: number;
  clock?: Clock;
}

/**
 * Spawns `socat pty,raw,echo=0,link=A pty,raw,echo=0,link=B` and resolves once both links exist.
 * A virtual board writes its console into one end; the harness opens the other as a serial port.
 */
export async function createPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  const id = randomBytes(6).toString('hex');
  const dir = options.dir ?? tmpdir();
  const a = join(dir, `karoo-ttyA-${id}`);
  const b = join(dir, `karoo-ttyB-${id}`);
  const clock = options.clock ?? systemClock;
  const sleep = clockSleep(clock);
  const timeoutMs = options.readyTimeoutMs ?? DEFAULT_PTY_READY_TIMEOUT_MS;

  const socat = spawn(
    options.socatPath ?? 'socat',
    [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  socat.stderr?.setEncoding('utf8');
  socat.stderr?.on('data', (chunk: string) => {
    if (stderr.length < 4096) stderr += chunk;
  });
  let failure: Error | undefined;
  socat.once('error', (err) => {
    failure = err;
  });
  const exited = new Promise<void>((resolve) => socat.once('exit', () => resolve()));

  const close = async (): Promise<void> => {
    await stop(socat, exited, clock);
    await Promise.all([rm(a, { force: true }), rm(b, { force: true })]);
  };

  for (let waited = 0; ; waited += POLL_MS) {
    if (failure !== undefined || socat.exitCode !== null || socat.signalCode !== null) {
      await close();
      const why = failure?.message ?? (stderr.trim() || `exit ${socat.exitCode ?? socat.signalCode}`);
      throw new PtyPairError(`socat failed: ${why}`, failure);
    }
    if ((await exists(a)) && (await exists(b))) return { a, b, pid: socat.pid, exited, close };
    if (waited >= timeoutMs) {
      await close();
      throw new PtyPairError(`socat did not create ${a} and ${b} within ${timeoutMs} ms`);
    }
    await sleep(POLL_MS);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function stop(child: ChildProcess, exited: Promise<void>, clock: Clock): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill('SIGTERM');
  const timer = clock.setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  await exited;
  clock.clearTimeout(timer);
}
