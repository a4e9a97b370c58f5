import type { Scenario, ScenarioContext } from './scenario.js';

/** Shares the board sends while this scenario runs. */
export const SHARES_TO_ACCEPT = 2;

/** The board's shares are accepted (on its console) and reach the pool (on the bench). */
export const sharesAccepted: Scenario = {
  name: 'shares-accepted',
  title: 'shares accepted at the pool',
  timeoutMs: (t) => t.bootMs + t.sessionMs + (SHARES_TO_ACCEPT + 1) * t.shareMs + 10_000,
  async run(ctx: ScenarioContext) {
    await ctx.ensureMining();
    const before = await ctx.session();
    const { console } = ctx.board;
    const s0 = console.state;
    const state = await console.waitFor((s) => s.sharesAccepted >= s0.sharesAccepted + SHARES_TO_ACCEPT, {
      timeoutMs: SHARES_TO_ACCEPT * ctx.timing.shareMs,
      description: `${SHARES_TO_ACCEPT} accepted shares`,
    });
    const rejected = state.sharesRejected - s0.sharesRejected;
    ctx.detail('consoleAccepted', state.sharesAccepted - s0.sharesAccepted);
    ctx.detail('consoleRejected', rejected);
    ctx.detail('difficulty', state.difficulty ?? null);
    ctx.detail('lastShare', state.lastShare ?? null);
    ctx.check(
      rejected === 0,
      `${rejected} share(s) rejected meanwhile (last: ${JSON.stringify(state.lastReject ?? null)})`,
    );
    const after = await ctx.session({
      timeoutMs: ctx.timing.shareMs,
      until: (s) =>
        s.accepted >= before.session.accepted + SHARES_TO_ACCEPT &&
        s.poolAccepted > before.session.poolAccepted,
      description: `the bench to count the shares and the pool to accept at least one`,
    });
    ctx.detail('benchAccepted', after.session.accepted - before.session.accepted);
    ctx.detail('poolAccepted', after.session.poolAccepted - before.session.poolAccepted);
    ctx.detail('poolRejected', after.session.poolRejected - before.session.poolRejected);
  },
};
