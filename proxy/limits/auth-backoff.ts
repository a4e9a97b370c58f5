/** The backoff after failed authorizes stops doubling here (ckpool's 600 s). */
export const DEFAULT_AUTH_BACKOFF_MAX_MS = 600_000;

/**
 * One connection's authorize backoff, ckpool style: the first failure blocks further attempts for
 * `baseMs`, each later failure doubles it (up to `maxMs`), a success clears it. Pure.
 */
export class AuthBackoff {
  private failures = 0;
  private until = 0;

  /** ms left before another attempt is judged; 0 when it may be. */
  remaining(now: number): number {
    return Math.max(0, this.until - now);
  }

  /** Records a failure; returns the new backoff in ms (0 when backoff is off). */
  fail(now: number, baseMs: number, maxMs = DEFAULT_AUTH_BACKOFF_MAX_MS): number {
    if (baseMs <= 0) return 0;
    const ms = Math.min(maxMs, baseMs * 2 ** Math.min(this.failures, 30));
    this.failures += 1;
    this.until = now + ms;
    return ms;
  }

  succeed(): void {
    this.failures = 0;
    this.until = 0;
  }

  get failureCount(): number {
    return this.failures;
  }
}
