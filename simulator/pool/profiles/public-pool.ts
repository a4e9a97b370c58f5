import type { PoolProfile } from './pool-profile.js';

/**
 * benjamin-wilson/public-pool at b971e9c, the pool most NerdMiners use (/work/shared/reference/
 * pools.md; src/models/StratumV1Client.ts and its stratum-messages/). Its habits, each as seen on
 * the wire; simulator/pool/README.md lists them with their sources.
 */
export const PUBLIC_POOL_PROFILE: PoolProfile = {
  name: 'public-pool',
  summary:
    'public-pool: starts at 16384, one suggest answered by set_difficulty, mask 1fffe000, extranonce2 4, closes on bad JSON',
  options: {
    difficulty: 16384,
    // Its vardiff's MIN_DIFF; suggestions are taken as they come (clamp 'none').
    minDifficulty: 0.00001,
    extranonce1Size: 4,
    extranonce2Size: 4,
    // A new template every 60 s (stratum-v1-jobs.service.ts interval(60000)).
    jobIntervalSeconds: 60,
    versionMask: 0x1fffe000,
    // socket.setTimeout(5 min) in stratum-v1.service.ts; no subscribe deadline.
    idleTimeoutSeconds: 300,
    subscribeTimeoutSeconds: 0,
  },
  subscribe: {
    subscriptions: ['mining.notify'],
    subscriptionId: 'extranonce1',
    extranonce1: 'random',
    resume: 'none',
  },
  username: 'address',
  difficulty: {
    form: 'fractional',
    byUserAgent: [{ prefix: 'cpuminer', difficulty: 0.1 }],
    // sessionDifficulty is one number: a share is judged against it as it is now.
    shares: 'current',
  },
  suggest: {
    accepted: 'any-time',
    values: 'any',
    clamp: 'none',
    honoured: 'first',
    answer: 'set-difficulty',
    newJob: false,
  },
  configure: { grant: 'pool-mask' },
  shares: {
    // MiningJob.copyAndUpdateBlock: testBlock.version ^ versionMask, with no mask check.
    versionRule: 'xor',
    versionBits: 'unchecked',
    // It credits the connection's authorized address whatever params[0] says, and checks
    // neither the extranonce2 length nor the ntime: a wrong one just hashes to a low share.
    workerChecked: false,
    extranonce2SizeChecked: false,
    ntimeChecked: false,
    // The block test sits inside `if (submissionDifficulty >= this.sessionDifficulty)`.
    blockBelowShareDifficulty: 'refuse',
  },
  errors: {
    data: '',
    messages: {
      JOB_NOT_FOUND: 'Job not found',
      DUPLICATE_SHARE: 'Duplicate share',
      LOW_DIFFICULTY: 'Difficulty too low',
      OTHER: 'Mining Submit validation error',
    },
    authorize: 'Authorization validation error',
  },
  // Its message switch has no default: anything but subscribe, configure, authorize,
  // suggest_difficulty and submit goes unanswered.
  unanswered: ['mining.ping', 'mining.extranonce.subscribe', 'unknown'],
  badJson: 'close',
  submitTooEarly: 'close',
  vardiff: 'public-pool',
};
