import { UnknownScenarioError } from '../errors.js';
import { bootsAndConnects } from './boots-and-connects.js';
import { difficultyChange } from './difficulty-change.js';
import { hashrateBand } from './hashrate-band.js';
import { reconnectAndExtranonce } from './reconnect-and-extranonce.js';
import type { Scenario } from './scenario.js';
import { sharesAccepted } from './shares-accepted.js';
import { soak } from './soak.js';
import { subscribeAuthorize } from './subscribe-authorize.js';
import { upstreamDrop } from './upstream-drop.js';

export * from './scenario.js';
export * from './board-checks.js';
export * from './firmware-expectations.js';
export { nextDifficulty } from './difficulty-change.js';
export { SHARES_TO_ACCEPT } from './shares-accepted.js';
export { SOAK_MAX_REJECT_RATIO } from './soak.js';

/** Every scenario, in the order the suite runs them. */
export const SCENARIOS: readonly Scenario[] = [
  bootsAndConnects,
  subscribeAuthorize,
  sharesAccepted,
  difficultyChange,
  upstreamDrop,
  reconnectAndExtranonce,
  hashrateBand,
  soak,
];

export const SCENARIO_NAMES: readonly string[] = SCENARIOS.map((s) => s.name);

/**
 * The scenarios named (in suite order, whatever order they were named in), or every one that is
 * not optional when none are. Throws UnknownScenarioError for a name that does not exist.
 */
export function selectScenarios(names: readonly string[] = []): Scenario[] {
  for (const name of names) {
    if (!SCENARIO_NAMES.includes(name)) throw new UnknownScenarioError(name, SCENARIO_NAMES);
  }
  if (names.length === 0) return SCENARIOS.filter((s) => s.optional !== true);
  return SCENARIOS.filter((s) => names.includes(s.name));
}
