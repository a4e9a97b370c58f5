import { UsageError } from './usage-error.js';

/** An error from the operating system: a listen, a file, a spawn. */
export type SystemError = NodeJS.ErrnoException & { code: string };

const WORDS: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'no such address on this machine',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EMFILE: 'too many open files',
  ENOTFOUND: 'host not found',
};

/** Codes that mean "fix the machine or the command line", not "the program is broken". */
const SETUP_CODES = new Set(Object.keys(WORDS));

export function isSystemError(err: unknown): err is SystemError {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string';
}

/** `address already in use (EADDRINUSE)`; the error's own message for a code without words. */
export function systemErrorWords(err: unknown): string {
  if (!isSystemError(err)) return err instanceof Error ? err.message : String(err);
  const words = WORDS[err.code];
  return words === undefined ? err.message : `${words} (${err.code})`;
}

/** The first UsageError or setup-kind system error in `err` and its causes (a wrapped listen or file error). */
export function setupProblem(err: unknown): UsageError | SystemError | undefined {
  let at: unknown = err;
  for (let depth = 0; depth < 8 && at instanceof Error; depth += 1) {
    if (at instanceof UsageError) return at;
    if (isSystemError(at) && SETUP_CODES.has(at.code)) return at;
    at = at.cause;
  }
  return undefined;
}

/** A listener that could not open: one line naming what (a config key or a flag) and where; exit 2. */
export class ListenError extends UsageError {
  constructor(
    readonly what: string,
    readonly address: string,
    cause: unknown,
  ) {
    super(`${what}: cannot listen on ${address}: ${systemErrorWords(cause)}`);
    this.name = 'ListenError';
    this.cause = cause;
  }
}

/**
 * Runs `open` (a listen); a failure the system reports (a taken port, a privileged port, an
 * address this machine does not have) becomes a ListenError naming `what` and `address`.
 */
export async function listenNamed<T>(what: string, address: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (err) {
    if (
      isSystemError(err) &&
      (err.syscall === 'listen' || err.syscall === 'bind' || SETUP_CODES.has(err.code))
    )
      throw new ListenError(what, address, err);
    throw err;
  }
}

/** A file that cannot be read or written: one line naming what (a flag or key) and the path; exit 2. */
export class FileError extends UsageError {
  constructor(
    readonly what: string,
    readonly path: string,
    readonly verb: 'read' | 'write' | 'create',
    cause: unknown,
  ) {
    super(`${what}: cannot ${verb} ${path}: ${systemErrorWords(cause)}`);
    this.name = 'FileError';
    this.cause = cause;
  }
}
