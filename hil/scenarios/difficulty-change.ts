import type { Bench } from '../runner/bench.js';
import { armed, isMining, sameDifficulty } from './board-checks.js';
import type { Scenario, ScenarioContext } from './scenario.js';

/**
 * NerdMiner never submits below ~1.53e-5 (it only looks at hashes with 16 leading zero bits), so
 * the difficulty is halved only when that stays well above; otherwise it goes up by half (6
 * significant digits, so it prints and compares exactly).
 */
export function nextDifficulty(current: number): number {
  const next = current / 2 >= 2e-5 ? current / 2 : current * 1.5;
  return Number(next.toPrecision(6));
}

function numberParam(json: unknown): number | undefined {
  const params = (json as { params?: unknown } | undefined)?.params;
  return Array.isArray(params) && typeof params[0] === 'number' ? params[0] : undefined;
}

/** The pool difficulty before the change, per bench, put back by cleanup. */
const original = new WeakMap<Bench, number>();

/**
 * The pool's difficulty changes (in proxy mode the proxy passes it on: Karoo gives a miner
 * min(vardiff, pool difficulty), and the harness's proxy keeps its vardiff floor above the pool's);
 * the board must print it ("Parsing Method [SET DIFFICULTY]" then "difficulty: ...") and get a
 * share accepted at it.
 */
export const difficultyChange: Scenario = {
  name: 'difficulty-change',
  title: 'follows a difficulty change',
  needs: ['pool-control'],
  timeoutMs: (t) => t.bootMs + 2 * t.sessionMs + 2 * t.shareMs + 10_000,
  async run(ctx: ScenarioContext) {
    const pool = ctx.bench.pool!;
    await ctx.ensureMining();
    await ctx.session();
    const { console } = ctx.board;
    const from = pool.difficulty();
    const to = nextDifficulty(from);
    ctx.detail('boardBefore', console.state.difficulty ?? null);
    ctx.detail('poolBefore', from);
    ctx.detail('poolAfter', to);
    // NerdMiner prints "difficulty: %.12f"; ESP-Miner prints it rounded (%.2f), so its rx line is used.
    const printed =
      console.state.firmware === 'bitaxe'
        ? armed(
            console.waitForEvent('stratum-rx', {
              timeoutMs: ctx.timing.sessionMs + ctx.timing.shareMs,
              where: (e) =>
                e.payload.method === 'mining.set_difficulty' &&
                sameDifficulty(numberParam(e.payload.json), to),
              description: `the board to receive difficulty ${to}`,
            }),
          )
        : armed(
            console.waitForEvent('difficulty', {
              timeoutMs: ctx.timing.sessionMs + ctx.timing.shareMs,
              where: (e) => sameDifficulty(e.difficulty, to),
              description: `the board to print difficulty ${to}`,
            }),
          );
    const changedAt = await ctx.together('set-difficulty', async () => {
      if (!original.has(ctx.bench)) original.set(ctx.bench, from);
      pool.setDifficulty(to);
      return ctx.clock.now();
    });
    await printed;
    ctx.detail('printedAfterMs', ctx.clock.now() - changedAt);
    const state = console.state;
    if (state.firmware === 'nerdminer') {
      const announced = console
        .history()
        .some(
          (h) =>
            h.at >= changedAt &&
            h.event.kind === 'parsing-method' &&
            h.event.method === 'mining.set_difficulty',
        );
      ctx.check(announced, 'no "Parsing Method [SET DIFFICULTY]" line before the new difficulty');
    }
    ctx.check(isMining(state), 'the board stopped mining after the difficulty change');
    const bound = await ctx.session({
      until: (s) => sameDifficulty(s.difficulty, to),
      description: `the bench to show difficulty ${to} for the board`,
    });
    ctx.detail('sessionDifficulty', bound.session.difficulty);

    // One predicate sees the share line and then its answer, in console order.
    let sentShare: { accepted: number; rejected: number } | undefined;
    const answered = await console.waitFor(
      (s, e) => {
        if (sentShare === undefined) {
          const atNew =
            (e?.kind === 'share-pool-diff' && sameDifficulty(e.difficulty, to)) ||
            (e?.kind === 'asic-nonce' && sameDifficulty(e.poolDifficulty, to));
          if (atNew) {
            sentShare = { accepted: s.sharesAccepted, rejected: s.sharesRejected };
          }
          return false;
        }
        return s.sharesAccepted > sentShare.accepted || s.sharesRejected > sentShare.rejected;
      },
      { timeoutMs: 2 * ctx.timing.shareMs, description: `a share sent at difficulty ${to} and its answer` },
    );
    ctx.detail('shareDifficulty', answered.lastShare?.difficulty ?? null);
    ctx.check(
      answered.sharesAccepted > sentShare!.accepted,
      `the share at the new difficulty was rejected: ${JSON.stringify(answered.lastReject ?? null)}`,
    );
  },
  async cleanup(bench) {
    const from = original.get(bench);
    if (from === undefined || bench.pool === undefined) return;
    original.delete(bench);
    bench.pool.setDifficulty(from);
  },
};
