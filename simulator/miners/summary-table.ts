import type { MinerStats } from './types.js';

const COLUMNS = [
  'worker',
  'profile',
  'sent',
  'accepted',
  'rejected',
  'latency',
  'hashrate',
  'reject reasons',
] as const;

/** The per-miner summary `karoo miners` prints at exit, one row per miner and a total. */
export function formatSummary(stats: readonly MinerStats[]): string {
  const rows: string[][] = stats.map((s) => [
    s.worker,
    s.profile,
    String(s.sent),
    String(s.accepted),
    String(s.rejected),
    s.meanLatencyMs === null ? '-' : `${s.meanLatencyMs.toFixed(1)} ms`,
    formatHashrate(s.hashrate),
    formatReasons(s.rejectedByReason),
  ]);
  const total = (key: 'sent' | 'accepted' | 'rejected'): string =>
    String(stats.reduce((n, s) => n + s[key], 0));
  rows.push([
    'total',
    `${stats.length} miners`,
    total('sent'),
    total('accepted'),
    total('rejected'),
    '',
    formatHashrate(stats.reduce((n, s) => n + s.hashrate, 0)),
    '',
  ]);
  const all = [[...COLUMNS], ...rows];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const numeric = new Set([2, 3, 4, 5, 6]);
  return `${all
    .map((r) =>
      r
        .map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

export function formatHashrate(hs: number): string {
  if (hs >= 1e6) return `${(hs / 1e6).toFixed(2)} MH/s`;
  if (hs >= 1e3) return `${(hs / 1e3).toFixed(1)} kH/s`;
  return `${hs.toFixed(0)} H/s`;
}

function formatReasons(reasons: Record<string, number>): string {
  return Object.entries(reasons)
    .map(([reason, n]) => `${reason} x${n}`)
    .join(', ');
}
