/** Longest worker name accepted in mining.authorize (it becomes a stats key and a metrics label). */
export const MAX_WORKER_NAME_LENGTH = 256;

/**
 * Why a `mining.authorize` user name is refused, or null when it is fine. Karoo authorizes locally
 * (the pool only sees the proxy's own user), so the name only has to be usable: not blank, not
 * huge, no control characters.
 */
export function workerNameProblem(user: string): string | null {
  if (user.trim() === '') return 'empty worker name';
  if (user.length > MAX_WORKER_NAME_LENGTH) return `worker name longer than ${MAX_WORKER_NAME_LENGTH}`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(user)) return 'control character in worker name';
  return null;
}
