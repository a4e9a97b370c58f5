import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, onTestFinished, vi } from 'vitest';
import { PATIENCE } from './patience.js';

/** The built `karoo` (the cli tier's globalSetup builds dist/ once per run). */
export const KAROO_MAIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
/** The repository, where the built command runs. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROOT = REPO_ROOT;

export interface KarooRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** The exit code (null when ended by a signal). */
  exit: Promise<number | null>;
  /** Waits until stdout matches (failing early, with stderr, if the command exits first). */
  waitForStdout(pattern: RegExp): Promise<RegExpExecArray>;
}

/** Runs `karoo ARGS...` as a child process; killed (SIGKILL, by its pid) when the test finishes. */
export function runKaroo(args: string[], env: NodeJS.ProcessEnv = {}): KarooRun {
  const child = spawn(process.execPath, [KAROO_MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  let exited = false;
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exited = true;
      resolve(code);
    }),
  );
  onTestFinished(async () => {
    if (exited) return;
    child.kill('SIGKILL');
    await exit;
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    async waitForStdout(pattern) {
      const matched = (): RegExpExecArray | null => pattern.exec(out);
      const exitedFirst = exit.then(() => {
        const m = matched();
        if (m === null)
          throw new Error(`karoo ${args.join(' ')} exited before printing ${pattern}:\n${out}${err}`);
        return m;
      });
      const printed = vi.waitFor(() => {
        const m = matched();
        expect(m, `stdout matching ${pattern}`).not.toBeNull();
        return m as RegExpExecArray;
      }, PATIENCE);
      return Promise.race([printed, exitedFirst]);
    },
  };
}

export interface KarooResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `karoo ARGS...` to its end (killed after `timeoutMs`): its exit status and both streams. */
export function runKarooSync(args: string[], timeoutMs = 60_000): KarooResult {
  const r = spawnSync(process.execPath, [KAROO_MAIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
