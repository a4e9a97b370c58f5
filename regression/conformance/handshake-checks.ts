import { parseMessage, parseSubscribeResult } from '../../stratum/index.js';
import { classifyLine } from '../replay/line-kind.js';
import { accepted } from './probe-session.js';
import type { RunContext } from './run-context.js';

/** Session A: subscribe, suggest_difficulty, authorize, the first difficulty and job. */
export async function runHandshakeChecks(ctx: RunContext): Promise<void> {
  let session;
  try {
    session = await ctx.open();
  } catch (err) {
    const reason = (err as Error).message;
    ctx.noWorkReason = reason;
    for (const id of ['subscribe.answer', 'authorize', 'work.difficulty-before-notify'] as const)
      ctx.record(id, 'FAIL', reason);
    ctx.record('subscribe.extranonce2-size', 'SKIP', reason);
    ctx.record('work.notify-shape', 'SKIP', reason);
    return;
  }
  const start = ctx.mark(session);
  const sub = await session.subscribe();
  if (sub === undefined) {
    ctx.record('subscribe.answer', 'FAIL', `no answer within ${ctx.settings.timeoutMs} ms`, start);
    ctx.record('subscribe.extranonce2-size', 'SKIP', 'no subscribe answer', start);
  } else if (sub.error !== null) {
    ctx.record('subscribe.answer', 'FAIL', `error answer ${JSON.stringify(sub.error)}`, start);
    ctx.record('subscribe.extranonce2-size', 'SKIP', 'no subscribe answer', start);
  } else {
    try {
      const r = parseSubscribeResult(sub.result);
      ctx.record(
        'subscribe.answer',
        'PASS',
        `extranonce1 ${r.extranonce1} (${r.extranonce1.length / 2} bytes), extranonce2_size ${r.extranonce2Size}`,
        start,
      );
      const ok = [2, 4, 8].includes(r.extranonce2Size);
      ctx.record(
        'subscribe.extranonce2-size',
        ok ? 'PASS' : 'FAIL',
        ok
          ? `${r.extranonce2Size} bytes`
          : `${r.extranonce2Size} bytes: NerdMiner and cgminer-based firmware cannot use it`,
        start,
      );
    } catch (err) {
      ctx.record('subscribe.answer', 'FAIL', (err as Error).message, start);
      ctx.record('subscribe.extranonce2-size', 'SKIP', 'subscribe answer malformed', start);
    }
  }

  const authMark = ctx.mark(session);
  const auth = await session.authorize();
  if (accepted(auth)) ctx.record('authorize', 'PASS', 'result true', authMark);
  else {
    const got =
      auth === undefined ? `no answer within ${ctx.settings.timeoutMs} ms` : `answered ${auth.line}`;
    ctx.record('authorize', 'FAIL', got, authMark);
  }

  const job = await session.waitForJob();
  if (job === undefined) {
    ctx.noWorkReason = `no mining.notify within ${ctx.settings.timeoutMs} ms of authorize`;
    ctx.record('work.difficulty-before-notify', 'FAIL', ctx.noWorkReason, start);
    ctx.record('work.notify-shape', 'SKIP', 'no mining.notify received', start);
    return;
  }
  ctx.main = { session, job };
  const first = session.difficultyCameFirst === true;
  ctx.record(
    'work.difficulty-before-notify',
    first ? 'PASS' : 'FAIL',
    first
      ? `set_difficulty ${session.tracker.jobs.get(job.params.jobId)?.difficulty} came before job ${job.params.jobId}`
      : `job ${job.params.jobId} came before any set_difficulty`,
    start,
  );
  const notifyLine = session.client.received.find((r) => {
    const kind = classifyLine(r.line);
    return kind.kind === 'request' && kind.method === 'mining.notify';
  })?.line;
  try {
    const msg = parseMessage(notifyLine ?? '');
    if (msg.type !== 'request' || msg.method !== 'mining.notify') throw new Error('not a mining.notify');
    const p = msg.params;
    ctx.record(
      'work.notify-shape',
      'PASS',
      `job ${p.jobId}: ${p.merkleBranches.length} merkle branches, version ${p.version}, nbits ${p.nbits}, ntime ${p.ntime}, clean_jobs ${p.cleanJobs}`,
      start,
    );
  } catch (err) {
    ctx.record('work.notify-shape', 'FAIL', (err as Error).message, start);
  }
}
