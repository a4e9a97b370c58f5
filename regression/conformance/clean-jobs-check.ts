import type { TrackedJob } from '../mining/work-tracker.js';
import { accepted, codeOf } from './probe-session.js';
import type { RunContext } from './run-context.js';
import { said } from './share-checks.js';

/**
 * On the main session: a clean_jobs notify (asked of the target's driver when there is a hook,
 * else one that already came during the run, else the next within --clean-wait), then a share for
 * the job before it (must be 21) and one for the new job (must be accepted).
 */
export async function runCleanJobsCheck(ctx: RunContext): Promise<void> {
  const work = await ctx.workSession();
  if (work === undefined) {
    ctx.record('clean-jobs', 'SKIP', ctx.noWorkReason);
    return;
  }
  const { session } = work;
  const mark = ctx.mark(session);
  let waitMs = ctx.cleanWaitMs;
  let clean: TrackedJob | undefined;
  if (ctx.hooks.newBlock !== undefined) {
    const before = session.tracker.latest?.seq ?? 0;
    session.client.note('asking the target for a new block');
    await ctx.hooks.newBlock();
    waitMs = Math.max(waitMs, ctx.settings.timeoutMs);
    clean = await session.waitForCleanJob(before, waitMs);
  } else {
    clean =
      latestCleanAfterFirst(session.tracker.jobs.values()) ??
      (await session.waitForCleanJob(session.tracker.latest?.seq ?? 0, waitMs));
  }
  if (clean === undefined) {
    ctx.record(
      'clean-jobs',
      'SKIP',
      `no clean_jobs notify within ${waitMs} ms (pass --clean-wait SECONDS to wait for the target's next block)`,
      mark,
    );
    return;
  }
  const cleanSeq = clean.seq;
  const old = [...session.tracker.jobs.values()]
    .filter((j) => j.seq < cleanSeq)
    .sort((a, b) => b.seq - a.seq)[0];
  if (old === undefined) {
    ctx.record('clean-jobs', 'SKIP', 'no job came before the clean_jobs notify', mark);
    return;
  }
  const stale = await session.mine(old, 'accept');
  const fresh = await session.mine(clean, 'accept');
  if (stale === undefined || fresh === undefined) {
    ctx.record('clean-jobs', 'SKIP', 'hashing budget exhausted', mark);
    return;
  }
  const staleAnswer = await session.submit(stale);
  const freshAnswer = await session.submit(fresh);
  const staleOk = codeOf(staleAnswer) === 21;
  const freshOk = accepted(freshAnswer);
  const parts = [
    `share for old job ${old.params.jobId}: ${staleOk ? 'error 21' : `expected error 21, ${said(staleAnswer, ctx)}`}`,
    `share for new job ${clean.params.jobId}: ${freshOk ? 'accepted' : `expected acceptance, ${said(freshAnswer, ctx)}`}`,
  ];
  ctx.record('clean-jobs', staleOk && freshOk ? 'PASS' : 'FAIL', parts.join('; '), mark);
}

/** The newest clean_jobs notify that has an older job before it (so not the session's first). */
function latestCleanAfterFirst(jobs: Iterable<TrackedJob>): TrackedJob | undefined {
  const all = [...jobs];
  let best: TrackedJob | undefined;
  for (const j of all) {
    if (!j.params.cleanJobs || (best !== undefined && j.seq < best.seq)) continue;
    if (all.some((o) => o.seq < j.seq)) best = j;
  }
  return best;
}
