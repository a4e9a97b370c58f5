import { codeOf } from './probe-session.js';
import type { RunContext } from './run-context.js';
import { said } from './share-checks.js';

/** mining.ping and a method nobody implements, on the main session. */
export async function runMethodChecks(ctx: RunContext): Promise<void> {
  const work = await ctx.workSession();
  if (work === undefined) {
    ctx.record('method.ping', 'SKIP', ctx.noWorkReason);
    ctx.record('method.unknown', 'SKIP', ctx.noWorkReason);
    return;
  }
  const { session } = work;
  let mark = ctx.mark(session);
  const pong = await session.request('mining.ping', []);
  const pingCode = codeOf(pong);
  if (pong === undefined) ctx.record('method.ping', 'FAIL', said(pong, ctx), mark);
  else if (pingCode === null)
    ctx.record('method.ping', 'PASS', `answered ${JSON.stringify(pong.result)}`, mark);
  else ctx.record('method.ping', 'SKIP', `not supported: error ${pingCode}`, mark);

  mark = ctx.mark(session);
  const method = 'mining.karoo_conformance_probe';
  const answer = await session.request(method, []);
  const code = codeOf(answer);
  if (answer === undefined || code === null) {
    ctx.record('method.unknown', 'FAIL', `${method}: ${said(answer, ctx)}`, mark);
  } else ctx.record('method.unknown', 'PASS', `${method}: error ${code}`, mark);
}
