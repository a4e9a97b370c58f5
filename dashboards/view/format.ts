/** Short fixed-width-friendly text for numbers, rates, ages and durations. Pure. */

const SI = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

/** 3 significant digits with an SI suffix: 950, 1.23k, 45.6M. */
export function formatSi(value: number): string {
  if (!Number.isFinite(value)) return '-';
  const sign = value < 0 ? '-' : '';
  let v = Math.abs(value);
  let i = 0;
  while (v >= 999.5 && i < SI.length - 1) {
    v /= 1000;
    i += 1;
  }
  return `${sign}${trimZeros(v.toPrecision(3))}${SI[i]}`;
}

/** Hashes per second: "60.1k" (the table's column says H/s), or "60.1 kH/s" with `unit`. */
export function formatHashrate(hps: number | null, unit = false): string {
  if (hps === null || !Number.isFinite(hps)) return '-';
  const text = formatSi(hps);
  if (!unit) return text;
  const suffix = /[a-zA-Z]$/.test(text) ? text.slice(-1) : '';
  return `${suffix ? text.slice(0, -1) : text} ${suffix}H/s`;
}

/** Share difficulty: 1e-6, 1.5e-4, 0.012, 512, 1.02k, 4.3M. */
export function formatDifficulty(d: number | null): string {
  if (d === null || !Number.isFinite(d)) return '-';
  if (d === 0) return '0';
  if (d >= 1000) return formatSi(d);
  if (d >= 0.01) return trimZeros(d.toPrecision(3));
  const [mantissa = '0', exponent = '0'] = d.toExponential(1).split('e');
  return `${trimZeros(mantissa)}e${Number(exponent)}`;
}

/** A count: exact up to 99999, then 123k, 1.23M. */
export function formatCount(n: number): string {
  return Math.abs(n) < 100_000 ? String(Math.round(n)) : formatSi(n);
}

/** A duration: 850ms, 4.2s, 12s, 5m, 3h, 2d; "-" when unknown. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '-';
  const v = Math.max(0, ms);
  if (v < 1000) return `${Math.round(v)}ms`;
  if (v < 10_000) return `${trimZeros((v / 1000).toFixed(1))}s`;
  return formatAge(v);
}

/** An age in whole units: 0s, 42s, 5m, 3h, 2d; "-" when unknown. */
export function formatAge(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '-';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** How long ago `at` was, or "-". */
export function ago(at: number | null, now: number): string {
  return at === null ? '-' : formatAge(now - at);
}

/** HH:MM:SS in the dashboard's local time. */
export function clockTime(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}

/** Cuts to `width` characters, marking the cut with "~". */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  return width === 1 ? '~' : `${text.slice(0, width - 1)}~`;
}

export function padRight(text: string, width: number): string {
  const t = truncate(text, width);
  return t + ' '.repeat(width - t.length);
}

export function padLeft(text: string, width: number): string {
  const t = truncate(text, width);
  return ' '.repeat(width - t.length) + t;
}

function trimZeros(text: string): string {
  return text.includes('.') && !text.includes('e') ? text.replace(/\.?0+$/, '') : text;
}
