import { z } from 'zod';
import { parseHostPort as splitHostPort, type HostPort } from '../../peers/host-port.js';
import { BIP320_MASK, DEFAULT_MINER_LINE_CAP } from '../../stratum/index.js';
import { DEFAULT_SEND_QUEUE_BYTES } from '../../runtime/line-connection.js';
import type { FaultSpecInput } from './faults/fault-spec.js';
import { faultSpecSchema } from './faults/fault-spec.js';
import { formatIssues } from './format-issues.js';
import { nbitsForDifficulty } from './network-target.js';
import type { ProfileName } from './profiles/index.js';
import { PROFILE_NAMES, poolProfile } from './profiles/index.js';

export const DEFAULT_POOL_HOST = '127.0.0.1';
export const DEFAULT_POOL_PORT = 3333;
/**
 * 2e-5 is about 86k hashes a share (D x 2^32): about one a second for a simulated CPU miner
 * (100 kH/s), one every two for a simulated NerdMiner (40 kH/s), a few dozen a second for pooler's
 * cpuminer. Fractional, as NerdMiner, cpuminer and ESP-Miner all accept.
 */
export const DEFAULT_DIFFICULTY = 0.00002;
/** Below ~2.3e-10 every hash meets the target; suggestions are clamped to [min, max]. */
export const DEFAULT_MIN_DIFFICULTY = 1e-9;
/**
 * Suggestions are clamped to this. Real firmware suggests for real hardware (ESP-Miner 1000,
 * NerdMiner 0.00015), which simulated kH/s miners would take minutes to meet, so the laptop demo
 * caps them at the default difficulty; raise it with --max-difficulty for real hardware. (ckpool's
 * reject_stats test suggests 1e18 to inflate stats; the clamp stops that too.)
 */
export const DEFAULT_MAX_DIFFICULTY = DEFAULT_DIFFICULTY;
export const DEFAULT_EXTRANONCE1_SIZE = 4;
/** ckpool's default; leaves a proxy room to carve a 4-byte prefix and still give miners 4. */
export const DEFAULT_EXTRANONCE2_SIZE = 8;
export const MAX_EXTRANONCE_SIZE = 8;
/** ckpool sends work every 30 s; miners drop pools that send nothing for minutes. */
export const DEFAULT_JOB_INTERVAL_SECONDS = 30;
export const DEFAULT_BLOCK_INTERVAL_SECONDS = 600;
/** Jobs of the current block kept valid; older ones (and all after a clean job) are stale. */
export const DEFAULT_MAX_JOBS = 16;
/** Synthetic transactions besides the coinbase in each job (9 leaves -> 4 merkle branches). */
export const DEFAULT_TRANSACTIONS = 8;
export const MAX_TRANSACTIONS = 100_000;
export const DEFAULT_VERSION_MASK = BIP320_MASK;
/** A miner's lines are short; ckpool allows 1 KiB, Karoo 4 KiB. */
export const DEFAULT_POOL_READ_LINE_CAP = DEFAULT_MINER_LINE_CAP;
export const DEFAULT_POOL_SEND_QUEUE_BYTES = DEFAULT_SEND_QUEUE_BYTES;
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 600;
/** xmrig-proxy and SRI's translator give a new connection 10 s to log in. */
export const DEFAULT_SUBSCRIBE_TIMEOUT_SECONDS = 10;
export const DEFAULT_MAX_CONNECTIONS = 10_000;
export const DEFAULT_START_HEIGHT = 900_000;
/** nbits of mainnet block 881423 (January 2025). */
export const DEFAULT_NBITS = '17029a8a';
export const DEFAULT_JOB_VERSION = '20000000';
export const DEFAULT_COINBASE_TAG = '/karoo pool simulator/';
/** P2WPKH to a fixed synthetic key hash (not anybody's address). */
export const DEFAULT_PAYOUT_SCRIPT = '0014' + '6b61726f6f2d706f6f6c2d73696d756c61746f7221';

export type { HostPort } from '../../peers/host-port.js';

export interface PoolOptions {
  host: string;
  /** 0 picks a free port; read the real one from `PoolSimulator.port`. */
  port: number;
  difficulty: number;
  minDifficulty: number;
  maxDifficulty: number;
  extranonce1Size: number;
  extranonce2Size: number;
  /** Seconds between new (non-clean) jobs; 0 turns the timer off. Fractions allowed. */
  jobIntervalSeconds: number;
  /** Seconds between new blocks (new prevhash, clean_jobs=true); 0 turns the timer off. */
  blockIntervalSeconds: number;
  maxJobs: number;
  transactions: number;
  /** Mask the pool grants at most (BIP310); 0 refuses version rolling. */
  versionMask: number;
  /** Worker names accepted by mining.authorize; undefined accepts everyone. */
  allowWorkers: string[] | undefined;
  lineCap: number;
  maxSendQueueBytes: number;
  idleTimeoutSeconds: number;
  subscribeTimeoutSeconds: number;
  maxConnections: number;
  startHeight: number;
  nbits: string;
  coinbaseTag: string;
  payoutScript: string;
  /** Serve `GET /stats` here when set. */
  http: HostPort | undefined;
  /** Which real pool's habits to imitate (simulator/pool/profiles/); its option defaults apply first. */
  profile: ProfileName;
  /**
   * The network difficulty the jobs' nbits encode (instead of `nbits`): a share meeting it is a
   * block. Undefined keeps `nbits` (mainnet's, so no block is ever found).
   */
  networkDifficulty: number | undefined;
  /**
   * Faults armed when the pool starts, as a scenario file writes them (durations in seconds or
   * with units); checked here, parsed when armed.
   */
  faults: FaultSpecInput[];
}

const hex = (chars?: number) =>
  z
    .string()
    .regex(
      chars === undefined ? /^([0-9a-fA-F]{2})*$/ : new RegExp(`^[0-9a-fA-F]{${chars}}$`),
      chars === undefined ? 'expected hex bytes' : `expected ${chars} hex characters`,
    );
const positive = z.number().finite().positive();
const seconds = z.number().finite().min(0);
const count = (min: number, max: number) => z.number().int().min(min).max(max);
const hostPort = z.object({ host: z.string().min(1), port: count(0, 65535) }).strict();

export const poolOptionsSchema = z
  .object({
    host: z.string().min(1),
    port: count(0, 65535),
    difficulty: positive,
    minDifficulty: positive,
    maxDifficulty: positive,
    extranonce1Size: count(1, MAX_EXTRANONCE_SIZE),
    extranonce2Size: count(1, MAX_EXTRANONCE_SIZE),
    jobIntervalSeconds: seconds,
    blockIntervalSeconds: seconds,
    maxJobs: count(1, 1024),
    transactions: count(0, MAX_TRANSACTIONS),
    versionMask: count(0, 0xffffffff),
    allowWorkers: z.array(z.string().min(1)).optional(),
    lineCap: count(256, 16 * 1024 * 1024),
    maxSendQueueBytes: count(1024, 1024 * 1024 * 1024),
    idleTimeoutSeconds: seconds,
    subscribeTimeoutSeconds: seconds,
    maxConnections: count(1, 1_000_000),
    startHeight: count(1, 0x7fffffff),
    nbits: hex(8),
    coinbaseTag: z.string().max(40),
    payoutScript: hex().refine((s) => s.length > 0 && s.length <= 2 * 75, 'expected 1 to 75 bytes of hex'),
    http: hostPort.optional(),
    profile: z.enum(PROFILE_NAMES),
    networkDifficulty: positive.optional(),
    faults: z.array(faultSpecSchema),
  })
  .strict()
  .refine((o) => o.minDifficulty <= o.maxDifficulty, {
    message: 'expected minDifficulty <= maxDifficulty',
    path: ['minDifficulty'],
  });

export class PoolOptionsError extends Error {
  readonly code = 'POOL_OPTIONS';
  constructor(message: string) {
    super(message);
    this.name = 'PoolOptionsError';
  }
}

export function defaultPoolOptions(): PoolOptions {
  return {
    host: DEFAULT_POOL_HOST,
    port: DEFAULT_POOL_PORT,
    difficulty: DEFAULT_DIFFICULTY,
    minDifficulty: DEFAULT_MIN_DIFFICULTY,
    maxDifficulty: DEFAULT_MAX_DIFFICULTY,
    extranonce1Size: DEFAULT_EXTRANONCE1_SIZE,
    extranonce2Size: DEFAULT_EXTRANONCE2_SIZE,
    jobIntervalSeconds: DEFAULT_JOB_INTERVAL_SECONDS,
    blockIntervalSeconds: DEFAULT_BLOCK_INTERVAL_SECONDS,
    maxJobs: DEFAULT_MAX_JOBS,
    transactions: DEFAULT_TRANSACTIONS,
    versionMask: DEFAULT_VERSION_MASK,
    allowWorkers: undefined,
    lineCap: DEFAULT_POOL_READ_LINE_CAP,
    maxSendQueueBytes: DEFAULT_POOL_SEND_QUEUE_BYTES,
    idleTimeoutSeconds: DEFAULT_IDLE_TIMEOUT_SECONDS,
    subscribeTimeoutSeconds: DEFAULT_SUBSCRIBE_TIMEOUT_SECONDS,
    maxConnections: DEFAULT_MAX_CONNECTIONS,
    startHeight: DEFAULT_START_HEIGHT,
    nbits: DEFAULT_NBITS,
    coinbaseTag: DEFAULT_COINBASE_TAG,
    payoutScript: DEFAULT_PAYOUT_SCRIPT,
    http: undefined,
    profile: 'default',
    networkDifficulty: undefined,
    faults: [],
  };
}

/**
 * Defaults filled in (the profile's over the simulator's) and every value checked; throws
 * PoolOptionsError naming the key and what it expected. The difficulty itself is not clamped (a
 * test may want one below the suggestion floor).
 */
export function resolvePoolOptions(partial: Partial<PoolOptions> = {}): PoolOptions {
  const merged: Record<string, unknown> = { ...defaultPoolOptions() };
  if (typeof partial.profile === 'string' && (PROFILE_NAMES as readonly string[]).includes(partial.profile))
    Object.assign(merged, poolProfile(partial.profile).options);
  for (const [key, value] of Object.entries(partial)) if (value !== undefined) merged[key] = value;
  if (partial.networkDifficulty !== undefined && partial.nbits !== undefined)
    throw new PoolOptionsError('networkDifficulty: give either networkDifficulty or nbits, not both');
  const result = poolOptionsSchema.safeParse(merged);
  if (!result.success) throw new PoolOptionsError(formatIssues(result.error.issues, merged));
  const o = result.data;
  const nbits = o.networkDifficulty === undefined ? o.nbits : nbitsForDifficulty(o.networkDifficulty);
  return {
    ...o,
    networkDifficulty: o.networkDifficulty,
    nbits: nbits.toLowerCase(),
    payoutScript: o.payoutScript.toLowerCase(),
    allowWorkers: o.allowWorkers,
    http: o.http,
    // Validated above; kept as given, since parsing turns durations into milliseconds.
    faults: (merged.faults as FaultSpecInput[]).slice(),
  };
}

/** "HOST:PORT", "[::1]:PORT" or ":PORT" (host defaults to 127.0.0.1), by peers/host-port.ts. */
export function parseHostPort(text: string, field = 'listen'): HostPort {
  const address = splitHostPort(text.trim());
  if (address === null) {
    throw new PoolOptionsError(`${field}: expected HOST:PORT (port 0 to 65535), got ${JSON.stringify(text)}`);
  }
  return { host: address.host === '' ? DEFAULT_POOL_HOST : address.host, port: address.port };
}
