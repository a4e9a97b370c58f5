import { CKPOOL_PROFILE } from './ckpool.js';
import { DEFAULT_PROFILE } from './default.js';
import type { PoolProfile, ProfileName } from './pool-profile.js';
import { PUBLIC_POOL_PROFILE } from './public-pool.js';

export type { PoolProfile, ProfileName, ProfileOptions, VersionRule } from './pool-profile.js';
export { PROFILE_NAMES } from './pool-profile.js';

const PROFILES: Record<ProfileName, PoolProfile> = {
  default: DEFAULT_PROFILE,
  'public-pool': PUBLIC_POOL_PROFILE,
  ckpool: CKPOOL_PROFILE,
};

export function poolProfile(name: ProfileName): PoolProfile {
  return PROFILES[name];
}
