/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * sleep = random(0, min(max, base * 2^attempt)). Spreads a rack's proxies apart after a pool outage.
 */
export function fullJitterDelay(attempt: number, minMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return Math.max(minMs / 4, Math.floor(random() * ceiling));
}
