import { meetsDifficulty, u32FromHex } from '../../stratum/index.js';
import type { JobParams, JsonValue, SubmitParams } from '../../stratum/index.js';
import { rolledVersion, shareDifficulty } from '../mining/share-miner.js';
import type { WorkTracker } from '../mining/work-tracker.js';

/** How a recorded hex field was written, so the replay writes its own value the same way. */
export interface HexFormat {
  upper: boolean;
  /** Leading zeros dropped (NerdMiner's String(nonce, HEX)). */
  unpadded: boolean;
}

/** What a recorded share was, relative to its session, so it can be re-mined for another. */
export interface SubmitPlan {
  /** Recorded job id, and the key of the recorded notify that last announced it (none: unknown job). */
  jobId: string;
  notifyKey: string | undefined;
  /** extranonce2 length minus the session's extranonce2 size, in bytes (0 for a correct share). */
  extranonce2Delta: number;
  /** ntime minus the job's ntime, seconds. */
  ntimeDelta: number;
  versionBits: { bits: number; outsideMask: boolean } | undefined;
  /** 'meet': the share met its difficulty; 'miss': it fell short; 'as-recorded': cannot be re-mined. */
  goal: 'meet' | 'miss' | 'as-recorded';
  /** Position (in the plan's submits) of an earlier submit with the same header: a duplicate. */
  duplicateOf: number | undefined;
  formats: { extranonce2: HexFormat; ntime: HexFormat; nonce: HexFormat; versionBits: HexFormat };
  /** The recorded session facts, to tell whether the live job is the same one. */
  recorded: { extranonce1: string; extranonce2Size: number; versionMask: number; job: JobParams } | undefined;
}

/**
 * Plans one recorded submit from the recorded session state (`tracker`, fed the recorded pool
 * lines so far). `seen` maps a header identity to the position of the submit that first sent it.
 */
export function planSubmit(
  submit: SubmitParams,
  rawParams: readonly JsonValue[],
  tracker: WorkTracker,
  notifyKeyOf: ReadonlyMap<string, string>,
  seen: Map<string, number>,
  position: number,
): SubmitPlan {
  const formats = {
    extranonce2: formatOf(rawParams[2]),
    ntime: formatOf(rawParams[3]),
    nonce: formatOf(rawParams[4]),
    versionBits: formatOf(rawParams[5]),
  };
  const tracked = tracker.jobs.get(submit.jobId);
  const en1 = tracker.extranonce1;
  const size = tracker.extranonce2Size;
  const bits = submit.versionBits === undefined ? undefined : u32FromHex(submit.versionBits);
  const versionBits =
    bits === undefined ? undefined : { bits, outsideMask: (bits & ~tracker.versionMask) >>> 0 !== 0 };
  const base = {
    jobId: submit.jobId,
    notifyKey: notifyKeyOf.get(submit.jobId),
    extranonce2Delta: size === undefined ? 0 : submit.extranonce2.length / 2 - size,
    ntimeDelta: tracked === undefined ? 0 : u32FromHex(submit.ntime) - u32FromHex(tracked.params.ntime),
    versionBits,
    formats,
  };
  if (tracked === undefined || en1 === undefined || size === undefined) {
    const identity = `${submit.jobId}/${submit.extranonce2}/${submit.ntime}/${submit.nonce}/${submit.versionBits ?? ''}`;
    return {
      ...base,
      goal: 'as-recorded',
      duplicateOf: remember(seen, identity, position),
      recorded: undefined,
    };
  }
  const job = tracked.params;
  const version =
    bits === undefined ? undefined : rolledVersion(u32FromHex(job.version), bits, tracker.versionMask);
  const { hashHex } = shareDifficulty({
    job,
    extranonce1: en1,
    extranonce2: submit.extranonce2,
    ntime: submit.ntime,
    nonce: submit.nonce,
    ...(version === undefined ? {} : { version }),
  });
  const refuse = tracker.requirement(submit.jobId).refuse;
  return {
    ...base,
    goal: meetsDifficulty(Buffer.from(hashHex, 'hex'), refuse) ? 'meet' : 'miss',
    duplicateOf: remember(seen, `${submit.jobId}/${hashHex}`, position),
    recorded: { extranonce1: en1, extranonce2Size: size, versionMask: tracker.versionMask, job },
  };
}

function remember(seen: Map<string, number>, identity: string, position: number): number | undefined {
  const first = seen.get(identity);
  if (first === undefined) seen.set(identity, position);
  return first;
}

export function formatOf(raw: JsonValue | undefined): HexFormat {
  const s = typeof raw === 'string' ? raw : '';
  return { upper: /[A-F]/.test(s) && !/[a-f]/.test(s), unpadded: s.length > 0 && s.length < 8 };
}

/**
 * Writes canonical lowercase hex the way the recorded field was written; `fixedWidth` fields
 * (ntime, nonce, version bits: 8 hex) may have had their leading zeros dropped, extranonce2 not.
 */
export function applyFormat(hex: string, format: HexFormat, fixedWidth = true): string {
  let out = hex;
  if (format.unpadded && fixedWidth) out = out.replace(/^0+(?=.)/, '');
  return format.upper ? out.toUpperCase() : out;
}
