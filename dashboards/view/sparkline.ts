/** Eight bar heights; ASCII for terminals whose locale is not UTF-8. */
export const UNICODE_BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;
export const ASCII_BARS = ['_', '.', ':', '-', '=', '+', '*', '#'] as const;
export type Bars = readonly string[];

/**
 * One character per value, scaled from 0 (or the smallest value when all are above 0 and
 * `fromZero` is false) to the largest; the last `width` values are shown, right-aligned.
 * Null is a gap (a space).
 */
export function sparkline(
  values: readonly (number | null)[],
  width: number,
  bars: Bars = UNICODE_BARS,
  fromZero = true,
): string {
  if (width <= 0) return '';
  const shown = values.slice(-width);
  const known = shown.filter((v): v is number => v !== null && Number.isFinite(v));
  const max = known.length ? Math.max(...known) : 0;
  const min = fromZero || !known.length ? 0 : Math.min(...known);
  const span = max - min;
  const top = bars.length - 1;
  const chars = shown.map((v) => {
    if (v === null || !Number.isFinite(v)) return ' ';
    if (span <= 0) return v > 0 ? (bars[top] ?? '#') : (bars[0] ?? '_');
    const level = Math.round(((Math.max(min, v) - min) / span) * top);
    return bars[level] ?? '#';
  });
  return ' '.repeat(width - chars.length) + chars.join('');
}

/**
 * Counts of timestamps per bucket of `bucketMs`, for the `buckets` buckets ending at `now`
 * (oldest first; bucket i holds (start + i*bucketMs, start + (i+1)*bucketMs]). Timestamps outside
 * the range are ignored.
 */
export function bucketCounts(
  times: readonly number[],
  now: number,
  bucketMs: number,
  buckets: number,
): number[] {
  const counts = new Array<number>(Math.max(0, buckets)).fill(0);
  if (buckets <= 0 || bucketMs <= 0) return counts;
  const start = now - buckets * bucketMs;
  for (const t of times) {
    if (t <= start || t > now) continue;
    const index = Math.min(buckets - 1, Math.ceil((t - start) / bucketMs) - 1);
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts;
}

/** UTF-8 bars when the locale says so (LC_ALL, then LC_CTYPE, then LANG). */
export function barsForEnv(env: NodeJS.ProcessEnv): Bars {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(locale) ? UNICODE_BARS : ASCII_BARS;
}
