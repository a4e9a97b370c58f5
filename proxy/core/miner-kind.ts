/** What kind of miner a subscribe user agent names, for /status and the dashboard. */
export type MinerKind = 'nerdminer' | 'bitaxe' | 'cpuminer' | 'cgminer' | 'bfgminer' | 'nicehash' | 'other';

const PATTERNS: [RegExp, MinerKind][] = [
  [/^nerdminer/i, 'nerdminer'],
  [/^bitaxe|esp-miner/i, 'bitaxe'],
  [/cpuminer|minerd/i, 'cpuminer'],
  [/cgminer/i, 'cgminer'],
  [/bfgminer/i, 'bfgminer'],
  [/nicehash|excavator/i, 'nicehash'],
];

export function minerKind(userAgent: string | undefined): MinerKind {
  if (!userAgent) return 'other';
  for (const [re, kind] of PATTERNS) if (re.test(userAgent)) return kind;
  return 'other';
}
