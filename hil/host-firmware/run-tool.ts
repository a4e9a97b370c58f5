import { spawn } from 'node:child_process';

/** What a compiler or linker run printed (stdout and stderr together, in order) and how it ended. */
export interface ToolRun {
  readonly ok: boolean;
  readonly output: string;
  /** Set when the command could not be started at all (ENOENT: not installed). */
  readonly spawnError?: NodeJS.ErrnoException;
}

/** Output kept per run; a compiler that prints more is cut (the start, where the first error is, is kept). */
export const MAX_TOOL_OUTPUT = 256 * 1024;

/** Runs `command args` with no shell and no input; resolves when it exits or when `signal` aborts. */
export function runTool(
  command: string,
  args: readonly string[],
  options: { cwd?: string; signal?: AbortSignal } = {},
): Promise<ToolRun> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, {
      cwd: options.cwd,
      // The C locale: plain quotes and English in diagnostics, which compiler-diagnostics.ts reads.
      env: { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.signal !== undefined && { signal: options.signal }),
    });
    const take = (chunk: Buffer): void => {
      if (output.length < MAX_TOOL_OUTPUT)
        output += chunk.toString('utf8').slice(0, MAX_TOOL_OUTPUT - output.length);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    let spawnError: NodeJS.ErrnoException | undefined;
    child.once('error', (err: NodeJS.ErrnoException) => {
      spawnError = err;
    });
    child.once('close', (code) => {
      resolve({ ok: code === 0 && spawnError === undefined, output, ...(spawnError && { spawnError }) });
    });
  });
}
