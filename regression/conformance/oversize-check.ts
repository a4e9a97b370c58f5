import { codeOf } from './probe-session.js';
import type { ProbeSession } from './probe-session.js';
import type { RunContext } from './run-context.js';

/** 1 MiB: far above every miner-side cap seen (ckpool 1 KiB, Karoo 4 KiB, xmrig and SRI 64 KiB). */
export const DEFAULT_OVERSIZE_BYTES = 1024 * 1024;

/** Session C sends one huge line; session D checks the target still serves. */
export async function runOversizeCheck(ctx: RunContext): Promise<void> {
  let c: ProbeSession;
  try {
    c = await ctx.open();
  } catch (err) {
    ctx.record('line.oversized', 'SKIP', (err as Error).message);
    return;
  }
  const markC = ctx.mark(c);
  await c.subscribe();
  const id = c.freshId();
  const filler = 'A'.repeat(ctx.oversizeBytes);
  c.sendRaw(`{"id":${id},"method":"mining.subscribe","params":["${filler}"]}`, id, 'mining.subscribe');
  const outcome = await c.client.waitFor(
    () => (c.answered(id) !== undefined ? 'answered' : c.client.isClosed ? 'closed' : undefined),
    ctx.settings.timeoutMs,
    false,
  );
  const answer = c.answered(id);
  c.close();
  let refused: string | undefined;
  if (answer !== undefined && codeOf(answer) === null) {
    ctx.record(
      'line.oversized',
      'FAIL',
      `a ${ctx.oversizeBytes}-byte line was accepted: ${answer.line.slice(0, 120)}`,
      markC,
    );
    return;
  }
  if (answer !== undefined) refused = `answered error ${codeOf(answer)}`;
  else if (outcome === 'closed') refused = `closed the connection (${c.client.closeReason})`;
  if (refused === undefined) {
    ctx.record(
      'line.oversized',
      'FAIL',
      `neither answered nor closed within ${ctx.settings.timeoutMs} ms`,
      markC,
    );
    return;
  }
  let d: ProbeSession;
  try {
    d = await ctx.open();
  } catch (err) {
    ctx.record(
      'line.oversized',
      'FAIL',
      `${refused}, then stopped serving: ${(err as Error).message}`,
      markC,
    );
    return;
  }
  const markD = ctx.mark(d);
  const sub = await d.subscribe();
  d.close();
  const served = sub !== undefined && sub.error === null;
  ctx.record(
    'line.oversized',
    served ? 'PASS' : 'FAIL',
    served
      ? `${refused}; a new connection was served`
      : `${refused}, then a new connection got no subscribe answer`,
    [markC, markD],
  );
}
