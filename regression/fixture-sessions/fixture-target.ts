import type { JsonValue } from '../../stratum/index.js';
import type { TargetSpec } from '../replay/recreate-target.js';

export {
  recreateTarget as startFixtureTarget,
  targetSpecOf as fixtureTargetOf,
} from '../replay/recreate-target.js';
export type { RunningTarget } from '../replay/recreate-target.js';

/**
 * What a fixture was recorded against, kept in its header's `target` so a replay (the CLI or the
 * tests) starts the same kind of target: the pool simulator with these options, alone or behind
 * Karoo with this config.
 */
export type FixtureTargetSpec = TargetSpec;

/**
 * The pool every fixture is recorded against: no job or block timers (work changes only where
 * the recording marks it), difficulty 1e-6 (a few thousand hashes a share, so replays re-mine
 * fast) and suggestions clamped to it (NerdMiner asks 0.00015, a Bitaxe 1000).
 */
export const FIXTURE_POOL: FixtureTargetSpec['pool'] = {
  difficulty: 1e-6,
  minDifficulty: 1e-9,
  maxDifficulty: 1e-6,
  jobIntervalSeconds: 0,
  blockIntervalSeconds: 0,
};

/**
 * Karoo as fixtures use it: the upstream session opened at start (keep-warm), not on demand, and
 * the pool's difficulty left where FIXTURE_POOL puts it (a suggestion would make the pool send a
 * job at a moment no recording can fix).
 */
export const FIXTURE_KAROO: { [key: string]: JsonValue } = {
  upstream: { mode: 'keep-warm', suggest_difficulty: 'off' },
};
