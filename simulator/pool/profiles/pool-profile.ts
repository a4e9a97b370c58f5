import type { ErrorName, JsonValue } from '../../../stratum/index.js';
import type { PoolOptions } from '../pool-options.js';

/** The pools `--profile` can imitate. */
export const PROFILE_NAMES = ['default', 'public-pool', 'ckpool'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** Options a profile may set as its defaults (flags and `startPool` options still win). */
export type ProfileOptions = Partial<
  Pick<
    PoolOptions,
    | 'difficulty'
    | 'minDifficulty'
    | 'maxDifficulty'
    | 'extranonce1Size'
    | 'extranonce2Size'
    | 'jobIntervalSeconds'
    | 'versionMask'
    | 'idleTimeoutSeconds'
    | 'subscribeTimeoutSeconds'
  >
>;

/** Three ways of putting a submit's version bits into the header's nVersion. */
export type VersionRule =
  /** BIP310: (job & ~mask) | (bits & mask). */
  | 'bip310'
  /** public-pool: job ^ bits. */
  | 'xor'
  /** ckpool: job | bits. */
  | 'or';

/**
 * One real pool's observable habits, as data the handlers read: what it answers, what it leaves
 * unanswered, what it checks in a share and what it lets through. `default` is the simulator's
 * own behaviour; each other profile cites where its habits come from (simulator/pool/README.md).
 */
export interface PoolProfile {
  readonly name: ProfileName;
  /** One line for logs and --help. */
  readonly summary: string;
  readonly options: ProfileOptions;
  readonly subscribe: {
    /** Subscriptions listed in the answer's first element. */
    readonly subscriptions: readonly ('mining.set_difficulty' | 'mining.notify')[];
    /** The id named with each subscription: the session's number, or its extranonce1. */
    readonly subscriptionId: 'session' | 'extranonce1';
    /** extranonce1: unique from a counter, or random bytes (kept unique among live sessions). */
    readonly extranonce1: 'counter' | 'random';
    /** What a resubscribe's second param is matched against to resume a closed session, if anything. */
    readonly resume: 'extranonce1' | 'subscription-id' | 'none';
  };
  /** `address`: the user must be `ADDRESS[.worker]` with a Bitcoin address shape. */
  readonly username: 'any' | 'address';
  readonly difficulty: {
    /** `integer`: every difficulty the pool sets is rounded, at least 1. */
    readonly form: 'fractional' | 'integer';
    /** Starting difficulty for user agents starting with `prefix`. */
    readonly byUserAgent: readonly { readonly prefix: string; readonly difficulty: number }[];
    /**
     * Which difficulty a share must meet: the lower of the one its job went out with and the
     * current one, or the current one only.
     */
    readonly shares: 'job-or-current' | 'current';
  };
  readonly suggest: {
    /** `authorized`: ignored (unanswered) before the connection has a worker. */
    readonly accepted: 'any-time' | 'authorized';
    /** `integer`: a fractional suggestion is ignored (unanswered). */
    readonly values: 'any' | 'integer';
    /** Clamped to [minDifficulty, maxDifficulty], raised to minDifficulty only, or taken as is. */
    readonly clamp: 'min-max' | 'min' | 'none';
    /** The first suggestion only, or every one that differs from the last. */
    readonly honoured: 'first' | 'each-change';
    /** The answer: `true`, a set_difficulty notification and no answer, or nothing. */
    readonly answer: 'true' | 'set-difficulty' | 'none';
    /** Once working: a new job follows the set_difficulty, or only set_difficulty goes out. */
    readonly newJob: boolean;
  };
  readonly configure: {
    /** The mask granted: the pool's and the miner's intersection, or always the pool's. */
    readonly grant: 'intersection' | 'pool-mask';
  };
  readonly shares: {
    readonly versionRule: VersionRule;
    /** Version bits checked against the negotiated mask, the pool's mask, or not at all. */
    readonly versionBits: 'negotiated-mask' | 'pool-mask' | 'unchecked';
    /** Refused (24) when the submit names a worker not authorized on the connection. */
    readonly workerChecked: boolean;
    readonly extranonce2SizeChecked: boolean;
    readonly ntimeChecked: boolean;
    /**
     * A share meeting the network target but not the session's difficulty: accepted as a block,
     * refused (23) though the block is still found, or refused with no block.
     */
    readonly blockBelowShareDifficulty: 'accept' | 'refuse-share-keep-block' | 'refuse';
  };
  readonly errors: {
    /** The third element of an error answer. */
    readonly data: JsonValue;
    /** The message for each error of a refused share, instead of Karoo's. */
    readonly messages: Partial<Record<ErrorName, string>>;
    /** The error answering a refused authorize. */
    readonly authorize: string | undefined;
  };
  /** Methods the pool never answers (no error either); `unknown` for methods it does not know. */
  readonly unanswered: readonly string[];
  /** A line that is not JSON: answered -32700, or the connection closed with no answer. */
  readonly badJson: 'error' | 'close';
  /** A submit before the connection is subscribed and authorized: refused (25/24), or closed. */
  readonly submitTooEarly: 'error' | 'close';
  /** The pool's own vardiff, if it runs one. */
  readonly vardiff: 'none' | 'public-pool';
}
