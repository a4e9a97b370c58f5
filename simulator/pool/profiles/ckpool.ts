import type { PoolProfile } from './pool-profile.js';

/**
 * ckpool 0.9.9 (ckolivas; read at mempool/ckpool ed1e159, src/stratifier.c and src/ckpool.c) as
 * a solo or pool server (not its proxy mode). /work/shared/reference/pools.md has the facts;
 * simulator/pool/README.md lists each habit with its source.
 */
export const CKPOOL_PROFILE: PoolProfile = {
  name: 'ckpool',
  summary:
    'ckpool: integer difficulties of at least 1 (start 42), suggest only as an integer after authorize',
  options: {
    // ckpool.c defaults: startdiff 42, mindiff 1, nonce1length 4, nonce2length 8,
    // update_interval 30, version_mask 1fffe000.
    difficulty: 42,
    minDifficulty: 1,
    // suggest_diff has no ceiling.
    maxDifficulty: 2 ** 53,
    extranonce1Size: 4,
    extranonce2Size: 8,
    jobIntervalSeconds: 30,
    versionMask: 0x1fffe000,
  },
  subscribe: {
    subscriptions: ['mining.notify'],
    // parse_subscribe: [[["mining.notify", "%08x" session id]], enonce1, n2len]; a resubscribe
    // naming that session id gets its enonce1 back (disconnected_sessionid_exists).
    subscriptionId: 'session',
    extranonce1: 'counter',
    resume: 'subscription-id',
  },
  username: 'any',
  difficulty: { form: 'integer', byUserAgent: [], shares: 'job-or-current' },
  suggest: {
    // suggest_diff: dropped for a client not yet authorised; json_is_integer or ignored; clamped
    // to mindiff; a new value each time it differs; no answer, only stratum_send_diff.
    accepted: 'authorized',
    values: 'integer',
    clamp: 'min',
    honoured: 'each-change',
    answer: 'none',
    newJob: false,
  },
  configure: { grant: 'intersection' },
  shares: {
    // submission_diff: *data32 |= version_mask; parse_submit refuses bits outside
    // ckp->version_mask (the pool's, not the negotiated one).
    versionRule: 'or',
    versionBits: 'pool-mask',
    workerChecked: true,
    extranonce2SizeChecked: true,
    ntimeChecked: true,
    // test_blocksolve runs "regardless of share status"; the share is then refused (SE_HIGH_DIFF).
    blockBelowShareDifficulty: 'refuse-share-keep-block',
  },
  errors: { data: null, messages: {}, authorize: undefined },
  unanswered: [],
  badJson: 'error',
  submitTooEarly: 'error',
  vardiff: 'none',
};
