import { isMining, sleep } from './board-checks.js';
import type { Scenario, ScenarioContext } from './scenario.js';

/** Rejected shares tolerated over a soak, as a fraction of those answered. */
export const SOAK_MAX_REJECT_RATIO = 0.05;
/** How often the soak looks at the board while it waits. */
const SOAK_CHECK_MS = 1000;

/**
 * The long run, only when asked for (`--scenario soak` or `--soak SECONDS`): the board keeps
 * mining for the whole time without rebooting, gets shares accepted at the pool, and rejects stay
 * rare. Stalls and reconnects are recorded as findings.
 */
export const soak: Scenario = {
  name: 'soak',
  title: 'long soak',
  optional: true,
  timeoutMs: (t) => t.bootMs + t.soakMs + t.shareMs + 2 * t.sessionMs + 20_000,
  async run(ctx: ScenarioContext) {
    await ctx.ensureMining();
    const before = await ctx.session();
    const { console } = ctx.board;
    const s0 = console.state;
    const end = ctx.clock.now() + ctx.timing.soakMs;
    while (ctx.clock.now() < end) {
      await sleep(ctx.clock, Math.min(SOAK_CHECK_MS, end - ctx.clock.now()));
      ctx.check(console.state.boots === s0.boots, 'the board rebooted (crashed?) during the soak');
    }
    await console.waitFor(isMining, {
      timeoutMs: ctx.timing.reconnectMs,
      description: 'the board to be mining at the end of the soak',
    });
    // A soak shorter than the board's share interval may end before its first share: wait for one.
    const s1 = await console.waitFor((s) => s.sharesAccepted > s0.sharesAccepted, {
      timeoutMs: ctx.timing.shareMs,
      description: 'a share accepted during (or right after) the soak',
    });
    const accepted = s1.sharesAccepted - s0.sharesAccepted;
    const rejected = s1.sharesRejected - s0.sharesRejected;
    const stalls = s1.stalls - s0.stalls;
    const failures = s1.connectFailures - s0.connectFailures;
    ctx.detail('soakMs', ctx.timing.soakMs);
    ctx.detail('accepted', accepted);
    ctx.detail('rejected', rejected);
    ctx.detail('stalls', stalls);
    ctx.detail('connectFailures', failures);
    ctx.detail('keepalives', s1.keepalives - s0.keepalives);
    if (stalls > 0) ctx.observe('finding', `${stalls} stall(s): no data from the pool for 2 min`);
    if (failures > 0) ctx.observe('finding', `${failures} failed connect(s) to the pool`);
    const ratio = rejected / (accepted + rejected);
    ctx.check(
      ratio <= SOAK_MAX_REJECT_RATIO,
      `${rejected} of ${accepted + rejected} shares rejected (over ${SOAK_MAX_REJECT_RATIO * 100}%)`,
    );
    const after = await ctx.session({
      timeoutMs: ctx.timing.shareMs,
      until: (s) => s.connected && s.poolAccepted > before.session.poolAccepted,
      description: "the pool to have accepted the board's shares",
    });
    ctx.detail('poolAccepted', after.session.poolAccepted - before.session.poolAccepted);
  },
};
