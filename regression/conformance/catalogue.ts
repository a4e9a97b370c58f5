/**
 * Every conformance check, in the order they run and report. `rule` is what the target must do
 * and why; README's check catalogue is written from this list (a test keeps them in step).
 */
export const CHECKS = [
  {
    id: 'subscribe.answer',
    title: 'mining.subscribe answer shape',
    rule: 'The answer is [subscriptions, extranonce1, extranonce2_size]: extranonce1 hex of whole bytes, extranonce2_size an integer from 1 to 16.',
  },
  {
    id: 'subscribe.extranonce2-size',
    title: 'extranonce2 size small miners can use',
    rule: 'extranonce2_size is 2, 4 or 8 bytes: NerdMiner handles only these (others give it bad shares), and more than 8 breaks cgminer-based firmware.',
  },
  {
    id: 'authorize',
    title: 'mining.authorize accepted',
    rule: 'Authorizing a worker is answered result true, error null.',
  },
  {
    id: 'work.difficulty-before-notify',
    title: 'set_difficulty before the first notify',
    rule: 'The first mining.set_difficulty comes before the first mining.notify, so a miner never hashes its first job at the wrong target.',
  },
  {
    id: 'work.notify-shape',
    title: 'mining.notify field shapes',
    rule: 'notify has 9 params: job id string, prevhash 64 hex, coinb1 and coinb2 hex bytes, merkle branches 64-hex each, version, nbits and ntime 8 hex, clean_jobs boolean.',
  },
  {
    id: 'share.valid-accepted',
    title: 'a valid share is accepted',
    rule: 'A share found by real hashing that meets the difficulty set for its job is answered result true, error null.',
  },
  {
    id: 'share.low-difficulty',
    title: 'a low-difficulty share is rejected (23)',
    rule: 'A share whose hash does not meet the difficulty is rejected with error 23.',
  },
  {
    id: 'share.duplicate',
    title: 'a duplicate share is rejected (22)',
    rule: 'Submitting an accepted share again is rejected with error 22.',
  },
  {
    id: 'share.duplicate-hex-case',
    title: 'a duplicate in other hex case is rejected (22)',
    rule: 'The accepted share again with its hex in upper case is the same block header, so it is rejected with error 22 (pools that compare submitted strings are fooled by this).',
  },
  {
    id: 'share.unknown-job',
    title: 'a share for an unknown job is rejected (21)',
    rule: 'A share naming a job id the target never sent is rejected with error 21 (job not found).',
  },
  {
    id: 'share.extranonce2-length',
    title: 'wrong extranonce2 length is rejected',
    rule: 'A share whose extranonce2 is not extranonce2_size bytes is rejected, even when its hash meets the difficulty (Karoo and NOMP answer 20).',
  },
  {
    id: 'share.ntime-out-of-range',
    title: 'ntime far outside the job is rejected',
    rule: "Shares whose ntime is a day after or a day before the job's are rejected, even when their hash meets the difficulty (ckpool allows job ntime to +7000 s).",
  },
  {
    id: 'version-rolling.negotiate',
    title: 'version rolling negotiation (BIP310)',
    rule: 'mining.configure with version-rolling mask 1fffe000 is answered with "version-rolling": true and a mask inside the one asked for, or false; an error answer means the target does not support it (skip).',
  },
  {
    id: 'version-rolling.share-accepted',
    title: 'a share with version bits inside the mask is accepted',
    rule: 'A valid share whose sixth param rolls bits inside the granted mask (nVersion = (job & ~mask) OR (bits & mask)) is accepted.',
  },
  {
    id: 'version-rolling.bits-outside-mask',
    title: 'version bits outside the mask are rejected',
    rule: 'A share rolling a bit outside the granted mask (any bit when nothing was granted) is rejected, even when its hash meets the difficulty with those bits.',
  },
  {
    id: 'method.ping',
    title: 'mining.ping answered',
    rule: 'mining.ping is answered with a result (Karoo and the pool simulator answer "pong"); an error answer means unsupported (skip); silence fails.',
  },
  {
    id: 'method.unknown',
    title: 'unknown method answered with an error',
    rule: 'A request for a method the target does not know gets an answer with an error (JSON-RPC -32601, or 20), never silence or success.',
  },
  {
    id: 'line.oversized',
    title: 'an oversized line is refused and the target stays up',
    rule: 'A 1 MiB line is refused (connection closed or error answer), and a new connection is still served (miner lines are short: ckpool allows 1 KiB, Karoo 4 KiB).',
  },
  {
    id: 'clean-jobs',
    title: 'behaviour after clean_jobs',
    rule: 'After a mining.notify with clean_jobs true, a valid share for a job sent before it is rejected with error 21 (stale), and a valid share for the new job is accepted.',
  },
] as const;

export type CheckId = (typeof CHECKS)[number]['id'];
export const CHECK_IDS: readonly CheckId[] = CHECKS.map((c) => c.id);
