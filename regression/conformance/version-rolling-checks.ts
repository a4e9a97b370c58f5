import { BIP320_MASK, u32FromHex } from '../../stratum/index.js';
import { rolledVersion } from '../mining/share-miner.js';
import type { ProbeSession } from './probe-session.js';
import { accepted, codeOf } from './probe-session.js';
import type { RunContext } from './run-context.js';
import { expectRejected, said } from './share-checks.js';

const ASKED_MASK = BIP320_MASK;

/** Session B: mining.configure before subscribe, then shares with version bits. */
export async function runVersionRollingChecks(ctx: RunContext): Promise<void> {
  let session: ProbeSession;
  try {
    session = await ctx.open();
  } catch (err) {
    const reason = (err as Error).message;
    ctx.record('version-rolling.negotiate', 'FAIL', reason);
    ctx.record('version-rolling.share-accepted', 'SKIP', reason);
    ctx.record('version-rolling.bits-outside-mask', 'SKIP', reason);
    return;
  }
  let mark = ctx.mark(session);
  const answer = await session.request('mining.configure', [
    ['version-rolling'],
    { 'version-rolling.mask': ASKED_MASK.toString(16).padStart(8, '0'), 'version-rolling.min-bit-count': 2 },
  ]);
  let granted = 0;
  if (answer === undefined) ctx.record('version-rolling.negotiate', 'FAIL', said(answer, ctx), mark);
  else if (codeOf(answer) !== null) {
    ctx.record(
      'version-rolling.negotiate',
      'SKIP',
      `mining.configure not supported: error ${codeOf(answer)}`,
      mark,
    );
  } else {
    const r = answer.result;
    const obj = typeof r === 'object' && r !== null && !Array.isArray(r) ? r : undefined;
    const flag = obj?.['version-rolling'];
    const maskText = obj?.['version-rolling.mask'];
    if (flag === false)
      ctx.record('version-rolling.negotiate', 'PASS', 'declined ("version-rolling": false)', mark);
    else if (flag !== true || typeof maskText !== 'string' || !/^[0-9a-fA-F]{1,8}$/.test(maskText)) {
      ctx.record('version-rolling.negotiate', 'FAIL', `malformed answer: ${answer.line}`, mark);
    } else {
      granted = u32FromHex(maskText);
      const extra = (granted & ~ASKED_MASK) >>> 0;
      ctx.record(
        'version-rolling.negotiate',
        extra === 0 ? 'PASS' : 'FAIL',
        extra === 0
          ? `granted ${maskText} of ${ASKED_MASK.toString(16)}`
          : `granted ${maskText}, which has bits ${extra.toString(16)} not asked for`,
        mark,
      );
      if (extra !== 0) granted = (granted & ASKED_MASK) >>> 0;
    }
  }

  mark = ctx.mark(session);
  const sub = await session.subscribe();
  const auth = await session.authorize();
  const job = sub !== undefined && accepted(auth) ? await session.waitForJob() : undefined;
  if (job === undefined) {
    const reason = `session ${session.label} got no work after configure, subscribe and authorize`;
    ctx.record('version-rolling.share-accepted', 'SKIP', reason, mark);
    ctx.record('version-rolling.bits-outside-mask', 'SKIP', reason, mark);
    return;
  }
  // The mask in force may have changed since (mining.set_version_mask).
  granted = session.tracker.versionMask === 0 ? granted : session.tracker.versionMask;
  const jobVersion = u32FromHex(job.params.version);

  mark = ctx.mark(session);
  if (granted === 0) ctx.record('version-rolling.share-accepted', 'SKIP', 'no version rolling granted', mark);
  else {
    const bits = lowestBit(granted);
    const share = await session.mine(job, 'accept', {
      version: rolledVersion(jobVersion, bits, granted),
      versionBits: bits,
    });
    if (share === undefined)
      ctx.record('version-rolling.share-accepted', 'SKIP', 'hashing budget exhausted', mark);
    else {
      const a = await session.submit(share);
      ctx.record(
        'version-rolling.share-accepted',
        accepted(a) ? 'PASS' : 'FAIL',
        accepted(a)
          ? `version bits ${share.versionBits} accepted`
          : `version bits ${share.versionBits}: ${said(a, ctx)}`,
        mark,
      );
    }
  }

  mark = ctx.mark(session);
  const outside = lowestBit(~granted >>> 0);
  if (outside === 0)
    ctx.record('version-rolling.bits-outside-mask', 'SKIP', 'the mask covers every bit', mark);
  else {
    const share = await session.mine(job, 'accept', {
      version: rolledVersion(jobVersion, outside, granted),
      versionBits: outside,
    });
    if (share === undefined)
      ctx.record('version-rolling.bits-outside-mask', 'SKIP', 'hashing budget exhausted', mark);
    else {
      const what = `bits ${share.versionBits} outside mask ${granted.toString(16).padStart(8, '0')}`;
      expectRejected(ctx, 'version-rolling.bits-outside-mask', await session.submit(share), mark, what);
    }
  }
  session.close();
}

function lowestBit(x: number): number {
  return (x & -x) >>> 0;
}
