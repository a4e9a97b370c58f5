import type { PoolProfile } from './pool-profile.js';

/** The simulator's own behaviour (simulator/pool/README.md "What it does on the wire"). */
export const DEFAULT_PROFILE: PoolProfile = {
  name: 'default',
  summary: 'the simulator as it always was: every check, every answer, fractional difficulties',
  options: {},
  subscribe: {
    subscriptions: ['mining.set_difficulty', 'mining.notify'],
    // A pool that resumes by extranonce1 names its subscriptions by it: a client that offers the
    // mining.notify subscription id, as cgminer does, gets its session back.
    subscriptionId: 'extranonce1',
    extranonce1: 'counter',
    resume: 'extranonce1',
  },
  username: 'any',
  difficulty: { form: 'fractional', byUserAgent: [], shares: 'job-or-current' },
  suggest: {
    accepted: 'any-time',
    values: 'any',
    clamp: 'min-max',
    honoured: 'first',
    answer: 'true',
    newJob: true,
  },
  configure: { grant: 'intersection' },
  shares: {
    versionRule: 'bip310',
    versionBits: 'negotiated-mask',
    workerChecked: true,
    extranonce2SizeChecked: true,
    ntimeChecked: true,
    blockBelowShareDifficulty: 'accept',
  },
  errors: { data: null, messages: {}, authorize: undefined },
  unanswered: [],
  badJson: 'error',
  submitTooEarly: 'error',
  vardiff: 'none',
};
