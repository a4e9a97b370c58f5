import { isMining, isReconnecting, recordEvents } from './board-checks.js';
import type { Scenario, ScenarioContext } from './scenario.js';

/**
 * The pool drops its connections. In proxy mode that is the proxy's upstream: Karoo redials
 * offering its old session back; when the pool resumes it (same extranonce1) the boards stay
 * connected, and when it hands out a new extranonce1 Karoo re-splits the space, so a board that
 * cannot take mining.set_extranonce (NerdMiner never sends extranonce.subscribe) is sent
 * client.reconnect and disconnected, and must reconnect. In direct mode the board's own connection is dropped. Either
 * way the board must end up mining again, its extranonce1 agreeing with its session, with a share
 * accepted at the pool after the drop.
 */
export const upstreamDrop: Scenario = {
  name: 'upstream-drop',
  title: 'survives an upstream drop and reconnects',
  needs: ['pool-control'],
  timeoutMs: (t) => t.bootMs + 2 * t.sessionMs + t.reconnectMs + 2 * t.shareMs + 10_000,
  async run(ctx: ScenarioContext) {
    const { bench } = ctx;
    const pool = bench.pool!;
    const { console } = ctx.board;
    await ctx.ensureMining();
    const before = await ctx.session();
    const upBefore = await bench.upstream();
    const boardExtranonce = console.state.extranonce1;
    const connectionsBefore = pool.connections();
    const bootsBefore = console.state.boots;
    const recorder = recordEvents(console, ctx.clock);
    try {
      const dropAt = await ctx.together('drop', async () => {
        const at = ctx.clock.now();
        pool.drop('all');
        return at;
      });

      let mustReconnect = bench.kind === 'direct';
      if (bench.kind === 'proxy') {
        const up = await ctx.poll(
          async () => {
            const u = await bench.upstream();
            return u?.connected === true && pool.connections() > connectionsBefore ? u : undefined;
          },
          { timeoutMs: ctx.timing.reconnectMs, description: 'the proxy to redial the pool' },
        );
        ctx.detail('upstreamBackAfterMs', ctx.clock.now() - dropAt);
        ctx.detail('upstreamExtranonce1', { before: upBefore?.extranonce1 ?? null, after: up.extranonce1 });
        mustReconnect = up.extranonce1 !== upBefore?.extranonce1;
        ctx.observe(
          'expected',
          mustReconnect
            ? 'the proxy redialled and got a new extranonce1 from the pool; boards without extranonce.subscribe are sent client.reconnect and disconnected'
            : 'the proxy redialled and the pool gave back the same extranonce1 (session resume): boards stay connected',
        );
      }

      const state = await console.waitFor(
        (s) =>
          isMining(s) &&
          (s.lastJob?.at ?? 0) >= dropAt &&
          (!mustReconnect || (s.times.subscribed ?? 0) >= dropAt),
        {
          timeoutMs: ctx.timing.reconnectMs,
          description: mustReconnect ? 'the board to resubscribe and get a job' : 'a new job after the drop',
        },
      );
      const reconnects = recorder.since(dropAt, isReconnecting);
      ctx.detail('boardReconnected', reconnects.length > 0);
      if (reconnects.length > 0) ctx.detail('boardReconnectAfterMs', reconnects[0]!.at - dropAt);
      ctx.detail('boardExtranonce1', { before: boardExtranonce ?? null, after: state.extranonce1 ?? null });
      if (mustReconnect) ctx.check(reconnects.length > 0, 'the board never reconnected after the drop');

      const mined = await console.waitFor((s) => (s.times.lastAccepted ?? 0) >= dropAt, {
        timeoutMs: ctx.timing.shareMs,
        description: 'an accepted share after the drop',
      });
      ctx.detail('firstShareAfterMs', (mined.times.lastAccepted ?? dropAt) - dropAt);
      const after = await ctx.session({
        timeoutMs: ctx.timing.shareMs,
        until: (s) => s.connected && s.poolAccepted > before.session.poolAccepted,
        description: 'the pool to accept a share from the board after the drop',
      });
      if (after.session.extranonce1 !== null) {
        ctx.check(
          after.session.extranonce1 === mined.extranonce1,
          `after the drop the board mines with extranonce1 ${mined.extranonce1} but its session has ${after.session.extranonce1}`,
        );
      }
      ctx.check(console.state.boots === bootsBefore, 'the board rebooted (crashed?) after the drop');
    } finally {
      recorder.stop();
    }
  },
};
