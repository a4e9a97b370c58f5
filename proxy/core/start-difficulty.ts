import { HASHES_PER_DIFFICULTY } from '../stats/index.js';
import type { MinerKind } from './miner-kind.js';

/**
 * Typical hashrates of known firmware, for a first difficulty near one share per target period
 * before any share is seen: NerdMiner V1.8.x on an ESP32 ~300-345 kH/s, Bitaxe 400 GH/s to
 * 1.2 TH/s (/work/shared/reference/firmware.md "Hashrates"), cpuminer a few MH/s on one core.
 * Other kinds have no typical rate: they start at the configured or the pool's difficulty.
 */
export const TYPICAL_HASHRATE: Partial<Record<MinerKind, number>> = {
  nerdminer: 300e3,
  bitaxe: 500e9,
  cpuminer: 5e6,
};

/** The difficulty at which `hashrate` finds one share per `targetSeconds`. */
export function difficultyFor(hashrate: number, targetSeconds: number): number {
  return Number(((hashrate * targetSeconds) / HASHES_PER_DIFFICULTY).toPrecision(3));
}

/**
 * A difficulty in the miner's password, as several pools accept it: `d=0.001`, alone or among
 * comma- or semicolon-separated options (`x,d=0.001`). Undefined when there is none or it is not
 * a positive number.
 */
export function passwordDifficulty(password: string | undefined): number | undefined {
  if (password === undefined) return undefined;
  const m = /(?:^|[,;\s])d=([0-9]*\.?[0-9]+(?:e[-+]?\d+)?)(?:$|[,;\s])/i.exec(password);
  const d = m ? Number(m[1]) : Number.NaN;
  return Number.isFinite(d) && d > 0 ? d : undefined;
}
