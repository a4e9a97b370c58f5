import type { Scenario, ScenarioContext } from './scenario.js';

/** The board subscribed (extranonce in hand) and authorized, and its session on the bench agrees. */
export const subscribeAuthorize: Scenario = {
  name: 'subscribe-authorize',
  title: 'subscribes and authorizes',
  timeoutMs: (t) => t.bootMs + 2 * t.sessionMs + 10_000,
  async run(ctx: ScenarioContext) {
    await ctx.ensureMining();
    const { console } = ctx.board;
    const state = await console.waitFor((s) => s.authorized, {
      timeoutMs: ctx.timing.sessionMs,
      description: 'a successful answer to mining.authorize',
    });
    ctx.check(
      state.extranonce1 !== undefined && state.extranonce1 !== '',
      'no extranonce1 in the subscribe answer',
    );
    ctx.check((state.extranonce2Size ?? 0) > 0, 'no extranonce2 size in the subscribe answer');
    const worker = ctx.worker();
    ctx.check(
      worker !== undefined,
      "the board's mining.authorize line was not seen and no --worker was given, so its worker name is unknown",
    );
    const said = ctx.authorizedAs();
    ctx.check(
      said === undefined || said === worker,
      `the board authorizes as ${said ?? ''} but was expected as ${worker}`,
    );
    ctx.detail('worker', worker);
    ctx.detail('extranonce1', state.extranonce1);
    ctx.detail('extranonce2Size', state.extranonce2Size);

    const bound = await ctx.session();
    const session = bound.session;
    ctx.detail('userAgent', session.userAgent);
    ctx.detail('remote', session.remote);
    ctx.check(
      session.worker === worker,
      `tied by ${bound.by} to worker ${session.worker}, but the board authorizes as ${worker}`,
    );
    if (session.extranonce1 !== null) {
      ctx.check(
        session.extranonce1 === state.extranonce1,
        `the board mines with extranonce1 ${state.extranonce1} but its session has ${session.extranonce1}`,
      );
    }
  },
};
