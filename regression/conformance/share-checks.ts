import { u32FromHex, u32ToHex } from '../../stratum/index.js';
import type { Answer, ProbeShare } from './probe-session.js';
import { accepted, codeOf } from './probe-session.js';
import type { CheckId } from './catalogue.js';
import type { Mark, RunContext } from './run-context.js';

const ONE_DAY = 86_400;

/** Shares on the main session: valid, low, duplicates, unknown job, extranonce2 length, ntime. */
export async function runShareChecks(ctx: RunContext): Promise<void> {
  const ids: CheckId[] = [
    'share.valid-accepted',
    'share.low-difficulty',
    'share.duplicate',
    'share.duplicate-hex-case',
    'share.unknown-job',
    'share.extranonce2-length',
    'share.ntime-out-of-range',
  ];
  const work = await ctx.workSession();
  if (work === undefined) {
    for (const id of ids) ctx.record(id, 'SKIP', ctx.noWorkReason);
    return;
  }
  const { session, job } = work;
  const budget = `the difficulty set (${session.tracker.requirement(job.params.jobId).accept}) needs more than --hash-budget ${ctx.settings.hashBudget} hashes`;

  // A valid share, then the same share twice more (exact, then upper-case hex).
  let mark = ctx.mark(session);
  const good = await session.mine(job, 'accept');
  let goodAccepted = false;
  if (good === undefined) ctx.record('share.valid-accepted', 'SKIP', budget, mark);
  else {
    const answer = await session.submit(good);
    goodAccepted = accepted(answer);
    ctx.record(
      'share.valid-accepted',
      goodAccepted ? 'PASS' : 'FAIL',
      goodAccepted
        ? `difficulty ${good.difficulty.toPrecision(4)} accepted`
        : `valid share refused: ${said(answer, ctx)}`,
      mark,
    );
  }

  mark = ctx.mark(session);
  const low = await session.mine(job, 'refuse');
  if (low === undefined) {
    ctx.record(
      'share.low-difficulty',
      'SKIP',
      'every hash meets the difficulty set: cannot build a low one',
      mark,
    );
  } else {
    expectCode(
      ctx,
      'share.low-difficulty',
      23,
      await session.submit(low),
      mark,
      `difficulty ${low.difficulty.toPrecision(4)}`,
    );
  }

  const noGood =
    good === undefined ? budget : 'the valid share was not accepted, so there is nothing to duplicate';
  mark = ctx.mark(session);
  if (good === undefined || !goodAccepted) ctx.record('share.duplicate', 'SKIP', noGood, mark);
  else expectCode(ctx, 'share.duplicate', 22, await session.submit(good), mark, 'same share again');

  mark = ctx.mark(session);
  if (good === undefined || !goodAccepted) ctx.record('share.duplicate-hex-case', 'SKIP', noGood, mark);
  else {
    const upper = upperCase(good);
    expectCode(
      ctx,
      'share.duplicate-hex-case',
      22,
      await session.submit(upper),
      mark,
      `resent as ${upper.extranonce2}/${upper.ntime}/${upper.nonce}`,
    );
  }

  mark = ctx.mark(session);
  const unknownJob = unusedJobId(session.tracker.jobs);
  const stray = good ?? {
    jobId: job.params.jobId,
    extranonce2: session.extranonce2(),
    ntime: job.params.ntime,
    nonce: '00000000',
  };
  expectCode(
    ctx,
    'share.unknown-job',
    21,
    await session.submit({ ...stray, jobId: unknownJob }),
    mark,
    `job id ${unknownJob}`,
  );

  mark = ctx.mark(session);
  const size = session.tracker.extranonce2Size ?? 4;
  const wrongSize = size > 1 ? size - 1 : size + 1;
  const wrong = await session.mine(job, 'accept', { extranonce2: session.extranonce2(wrongSize) });
  if (wrong === undefined) ctx.record('share.extranonce2-length', 'SKIP', budget, mark);
  else {
    expectRejected(
      ctx,
      'share.extranonce2-length',
      await session.submit(wrong),
      mark,
      `${wrongSize}-byte extranonce2 for size ${size}`,
    );
  }

  mark = ctx.mark(session);
  const jobTime = u32FromHex(job.params.ntime);
  const answers: [string, Answer | undefined][] = [];
  for (const [label, ntime] of [
    ['a day ahead', u32ToHex(jobTime + ONE_DAY)],
    ['a day behind', u32ToHex(jobTime - ONE_DAY)],
  ] as const) {
    const share = await session.mine(job, 'accept', { ntime });
    if (share === undefined) break;
    answers.push([label, await session.submit(share)]);
  }
  if (answers.length < 2) ctx.record('share.ntime-out-of-range', 'SKIP', budget, mark);
  else {
    const taken = answers.filter(([, a]) => a === undefined || codeOf(a) === null);
    ctx.record(
      'share.ntime-out-of-range',
      taken.length === 0 ? 'PASS' : 'FAIL',
      taken.length === 0
        ? `both refused (${answers.map(([l, a]) => `${l}: error ${codeOf(a)}`).join(', ')})`
        : taken.map(([l, a]) => `ntime ${l}: ${said(a, ctx)}`).join('; '),
      mark,
    );
  }
}

/** PASS when the answer carries error `code`. */
export function expectCode(
  ctx: RunContext,
  id: CheckId,
  code: number,
  answer: Answer | undefined,
  mark: Mark,
  what: string,
): void {
  const got = codeOf(answer);
  ctx.record(
    id,
    got === code ? 'PASS' : 'FAIL',
    got === code ? `${what}: error ${code}` : `${what}: expected error ${code}, ${said(answer, ctx)}`,
    mark,
  );
}

/** PASS when the answer is any error. */
export function expectRejected(
  ctx: RunContext,
  id: CheckId,
  answer: Answer | undefined,
  mark: Mark,
  what: string,
): void {
  const got = codeOf(answer);
  const ok = got !== undefined && got !== null;
  ctx.record(
    id,
    ok ? 'PASS' : 'FAIL',
    ok ? `${what}: refused with error ${got}` : `${what}: ${said(answer, ctx)}`,
    mark,
  );
}

/** How an answer reads in a reason: "no answer within 10000 ms", "accepted", "error 20". */
export function said(answer: Answer | undefined, ctx: RunContext): string {
  if (answer === undefined) return `no answer within ${ctx.settings.timeoutMs} ms`;
  const code = codeOf(answer);
  if (code === null)
    return answer.result === true ? 'accepted' : `answered result ${JSON.stringify(answer.result)}`;
  return `got error ${code}`;
}

function upperCase(s: ProbeShare): ProbeShare {
  return {
    ...s,
    extranonce2: s.extranonce2.toUpperCase(),
    ntime: s.ntime.toUpperCase(),
    nonce: s.nonce.toUpperCase(),
  };
}

function unusedJobId(known: ReadonlyMap<string, unknown>): string {
  for (let n = 0; ; n += 1) {
    const id = `c0ffee${n.toString(16)}`;
    if (!known.has(id)) return id;
  }
}
