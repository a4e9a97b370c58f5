import { accepted, codeOf } from './probe-session.js';
import type { RunContext } from './run-context.js';
import { said } from './share-checks.js';

/** On the main session: wait for (or ask for) a clean job, then shares for the old and new job. */
export async function runCleanJobsCheck(ctx: RunContext): Promise<void> {
  const work = await ctx.workSession();
  if (work === undefined) {
    ctx.record('clean-jobs', 'SKIP', ctx.noWorkReason);
    return;
  }
  const { session } = work;
  const mark = ctx.mark(session);
  const before = session.tracker.latest ?? work.job;
  let waitMs = ctx.cleanWaitMs;
  if (ctx.hooks.newBlock !== undefined) {
    session.client.note('note', 'asking the target for a new block');
    await ctx.hooks.newBlock();
    waitMs = Math.max(waitMs, ctx.settings.timeoutMs);
  }
  const clean = await session.waitForCleanJob(before.seq, waitMs);
  if (clean === undefined) {
    ctx.record(
      'clean-jobs',
      'SKIP',
      `no clean_jobs notify within ${waitMs} ms (pass --clean-wait SECONDS to wait for the target's next block)`,
      mark,
    );
    return;
  }
  const old =
    [...session.tracker.jobs.values()].filter((j) => j.seq < clean.seq).sort((a, b) => b.seq - a.seq)[0] ??
    before;
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
