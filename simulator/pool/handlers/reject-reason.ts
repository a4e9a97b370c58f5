import type { StratumError } from '../../../stratum/index.js';
import { VersionBitsOutsideMaskError } from '../../../stratum/index.js';
import type { RejectReason } from '../pool-books.js';

/**
 * The books' reason for a share checkShare refused. Code 20 covers three checks; they are told
 * apart by the facts they test, not by the wording of the message.
 */
export function rejectReason(
  error: StratumError,
  facts: { jobStatus: 'live' | 'stale' | 'unknown'; extranonce2LengthOk: boolean },
): RejectReason {
  switch (error.errorName) {
    case 'JOB_NOT_FOUND':
      return facts.jobStatus === 'stale' ? 'stale' : 'job-not-found';
    case 'DUPLICATE_SHARE':
      return 'duplicate';
    case 'LOW_DIFFICULTY':
      return 'low-difficulty';
    case 'UNAUTHORIZED':
      return 'unauthorized';
    case 'NOT_SUBSCRIBED':
      return 'not-subscribed';
    case 'OTHER':
      if (error instanceof VersionBitsOutsideMaskError) return 'version-bits';
      return facts.extranonce2LengthOk ? 'ntime-out-of-range' : 'extranonce2-size';
    default:
      return 'other';
  }
}
