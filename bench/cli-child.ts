import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

type Proc = ChildProcessByStdio<null, Readable, Readable>;
import { fileURLToPath } from 'node:url';

/** The built `karoo` command (this file runs as dist/bench/cli-child.js). */
export const KAROO_MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;
const OUTPUT_CAP = 64 * 1024;

const live = new Set<Proc>();
// The bench's watchdog may end the process at any point: nothing started here outlives it.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A `karoo` subcommand run as a user runs it, in its own process. */
export class CliChild {
  private output = '';

  private constructor(
    readonly name: string,
    private readonly child: Proc,
    private readonly exited: Promise<number | null>,
  ) {
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-OUTPUT_CAP);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
  }

  /** Starts `karoo <args>` and resolves with the first match of `ready` in its stdout (or stderr). */
  static async start(
    name: string,
    args: string[],
    ready: RegExp,
    stream: 'stdout' | 'stderr' = 'stdout',
  ): Promise<{ child: CliChild; match: RegExpMatchArray }> {
    const proc = spawn(process.execPath, [KAROO_MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(proc);
    const exited = new Promise<number | null>((resolve) =>
      proc.once('exit', (code) => {
        live.delete(proc);
        resolve(code);
      }),
    );
    const child = new CliChild(name, proc, exited);
    const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
      let seen = '';
      let settled = false;
      const timer = setTimeout(() => fail(`no ${ready} within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
      const onData = (chunk: Buffer): void => {
        seen = (seen + chunk.toString()).slice(-OUTPUT_CAP);
        const m = ready.exec(seen);
        if (m === null || settled) return;
        settled = true;
        clearTimeout(timer);
        proc[stream].off('data', onData);
        resolve(m);
      };
      const fail = (why: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        proc.kill('SIGKILL');
        reject(new Error(`${name}: ${why}; output: ${child.output.slice(-2000)}`));
      };
      proc[stream].on('data', onData);
      void exited.then((code) => fail(`exited (${code}) before it was ready`));
    });
    return { child, match };
  }

  /** SIGINT (each command stops cleanly on it), SIGKILL after a grace period. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }
}
