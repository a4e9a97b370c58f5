import { isMining } from './board-checks.js';
import type { Scenario, ScenarioContext } from './scenario.js';

/** Reset the board; it must boot, join the network and subscribe within the boot bound. */
export const bootsAndConnects: Scenario = {
  name: 'boots-and-connects',
  title: 'boots and connects within T',
  timeoutMs: (t) => t.bootMs + t.sessionMs + 10_000,
  async run(ctx: ScenarioContext) {
    if (!ctx.canReset) ctx.skip('resets are off (--no-reset), so the boot cannot be watched');
    const { console } = ctx.board;
    const limit = ctx.timing.bootMs;
    const booted = console.waitForEvent('boot', {
      timeoutMs: limit,
      where: (e) => e.stage === 'app',
      description: 'the firmware to start after reset',
    });
    const resetAt = await ctx.reset();
    await booted;
    const bootAt = ctx.clock.now();
    const state = await console.waitFor(isMining, {
      timeoutMs: Math.max(1, limit - (bootAt - resetAt)),
      description: `a subscription and a first job within ${limit} ms of reset`,
    });
    const since = (at: number | undefined) => (at === undefined ? null : at - resetAt);
    ctx.detail('limitMs', limit);
    ctx.detail('bootMs', bootAt - resetAt);
    ctx.detail('wifiMs', since(state.times.wifiConnected));
    ctx.detail('subscribedMs', since(state.times.subscribed));
    ctx.detail('firstJobMs', since(state.lastJob?.at));
    ctx.detail('firmware', state.firmware ?? null);
    ctx.check(state.firmware !== undefined, 'the console never said which firmware it runs');
    const bound = await ctx.session();
    ctx.check(bound.session.connected, `the session of ${bound.session.worker} is not connected`);
  },
};
