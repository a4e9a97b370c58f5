import type { PoolControl } from '../runner/bench.js';
import { armed, isMining, isReceived, isReconnecting, recordEvents, sleep } from './board-checks.js';
import type { EventRecorder } from './board-checks.js';
import { judgeReaction } from './firmware-expectations.js';
import type { ExtranonceReaction, ReconnectReaction } from './firmware-expectations.js';
import type { ScenarioContext, Scenario } from './scenario.js';

/**
 * What the board does with client.reconnect and mining.set_extranonce, recorded per firmware as
 * expected behaviour or a finding (never a failure by itself). It fails only if the board crashes
 * (reboots) or does not end up mining again.
 *
 * Direct mode: the pool sends both to the board's own session, one after the other; a board that
 * ignored set_extranonce is then dropped so it reconnects with a fresh extranonce1.
 * Proxy mode: Karoo follows a pool's client.reconnect itself and never forwards it, and turns the
 * pool's set_extranonce into a re-split: boards that sent mining.extranonce.subscribe get
 * set_extranonce, the rest (NerdMiner) get client.reconnect and are disconnected.
 */
export const reconnectAndExtranonce: Scenario = {
  name: 'reconnect-and-extranonce',
  title: 'what it does on client.reconnect and set_extranonce',
  needs: ['pool-control'],
  timeoutMs: (t) => t.bootMs + 3 * t.sessionMs + 2 * t.quietMs + 2 * t.reconnectMs + 3 * t.shareMs + 10_000,
  async run(ctx: ScenarioContext) {
    await ctx.ensureMining();
    const before = await ctx.session();
    const { console } = ctx.board;
    const bootsBefore = console.state.boots;
    const recorder = recordEvents(console, ctx.clock);
    try {
      const since =
        ctx.bench.kind === 'direct'
          ? await direct(ctx, ctx.bench.pool!, before.session.worker, recorder)
          : await throughProxy(ctx, ctx.bench.pool!, recorder);
      const mined = await console.waitFor((s) => (s.times.lastAccepted ?? 0) >= since, {
        timeoutMs: ctx.timing.shareMs,
        description: 'an accepted share afterwards',
      });
      const after = await ctx.session({
        timeoutMs: ctx.timing.shareMs,
        until: (s) => s.connected && s.poolAccepted > before.session.poolAccepted,
        description: 'the pool to accept a share from the board afterwards',
      });
      if (after.session.extranonce1 !== null) {
        ctx.check(
          after.session.extranonce1 === mined.extranonce1,
          `the board mines with extranonce1 ${mined.extranonce1} but its session has ${after.session.extranonce1}`,
        );
      }
      ctx.check(console.state.boots === bootsBefore, 'the board rebooted (crashed?)');
    } finally {
      recorder.stop();
    }
  },
};

/** Returns the clock time after which the board must get a share accepted. */
async function direct(
  ctx: ScenarioContext,
  pool: PoolControl,
  worker: string,
  recorder: EventRecorder,
): Promise<number> {
  const { console } = ctx.board;
  const { timing } = ctx;

  // client.reconnect, pointing back at the pool.
  const reconnectRx = armed(
    console.waitForEvent('stratum-rx', {
      timeoutMs: timing.sessionMs,
      where: isReceived('client.reconnect'),
      description: 'client.reconnect on the console',
    }),
  );
  const reconnectAt = ctx.clock.now();
  pool.sendReconnect({ worker });
  await reconnectRx;
  await sleep(ctx.clock, timing.quietMs);
  const followed = recorder.since(reconnectAt, isReconnecting).length > 0;
  const ignoredLine = recorder.since(reconnectAt, (e) => e.kind === 'ignored-message').length > 0;
  report(
    ctx,
    'reconnect',
    followed ? 'followed' : 'ignored',
    followed
      ? 'client.reconnect: the board reconnected'
      : `client.reconnect: ignored${ignoredLine ? ' ("Parsed JSON: unknown")' : ''}, still on the same connection after ${timing.quietMs} ms`,
  );
  if (followed) await waitMining(ctx, reconnectAt, true);

  // mining.set_extranonce with a fresh extranonce1, then a clean job.
  const extranonceBefore = console.state.extranonce1;
  const setRx = armed(
    console.waitForEvent('stratum-rx', {
      timeoutMs: timing.sessionMs,
      where: isReceived('mining.set_extranonce'),
      description: 'mining.set_extranonce on the console',
    }),
  );
  const setAt = ctx.clock.now();
  pool.sendSetExtranonce({ worker });
  const rx = await setRx;
  const params = (rx.payload.json as { params?: unknown[] } | undefined)?.params;
  const offered = typeof params?.[0] === 'string' ? params[0] : null;
  const answer = await nextShareAnswer(ctx);
  const applied = recorder.since(setAt, (e) => e.kind === 'extranonce').length > 0;
  ctx.detail('setExtranonce', {
    before: extranonceBefore ?? null,
    offered,
    nextShare: answer,
  });
  report(
    ctx,
    'setExtranonce',
    applied ? 'applied' : 'ignored',
    applied
      ? `set_extranonce: applied extranonce1 ${offered ?? '?'}; next share ${answer}`
      : `set_extranonce: ignored, kept extranonce1 ${extranonceBefore ?? '?'} (offered ${offered ?? '?'}); next share ${answer}`,
  );
  if (applied) return setAt;

  // Put it right: drop its session so it reconnects and gets a fresh extranonce1.
  const dropAt = ctx.clock.now();
  pool.drop({ worker });
  await waitMining(ctx, dropAt, true);
  return dropAt;
}

async function throughProxy(
  ctx: ScenarioContext,
  pool: PoolControl,
  recorder: EventRecorder,
): Promise<number> {
  const { console } = ctx.board;
  const extranonceBefore = console.state.extranonce1;
  const at = await ctx.together('set-extranonce', async () => {
    const t = ctx.clock.now();
    pool.sendSetExtranonce('all');
    return t;
  });
  const reached = (e: Parameters<typeof isReconnecting>[0]): boolean =>
    isReceived('client.reconnect')(e) || isReceived('mining.set_extranonce')(e) || isReconnecting(e);
  await ctx.poll(() => (recorder.since(at, reached).length > 0 ? true : undefined), {
    timeoutMs: ctx.timing.sessionMs,
    description: "the proxy to pass the pool's new extranonce on to the board",
  });
  await sleep(ctx.clock, ctx.timing.quietMs);

  const reconnect = recorder.since(at, isReceived('client.reconnect'))[0];
  const setExtranonce = recorder.since(at, isReceived('mining.set_extranonce'))[0];
  if (reconnect !== undefined) {
    const ignored = recorder.since(reconnect.at, (e) => e.kind === 'ignored-message').length > 0;
    const followed =
      recorder.since(reconnect.at, (e) => e.kind === 'pool-disconnected' && /reconnect/i.test(e.reason))
        .length > 0;
    const reaction: ReconnectReaction = ignored ? 'ignored' : followed ? 'followed' : 'unclear';
    report(ctx, 'reconnect', reaction, `client.reconnect from the proxy: ${reaction}`);
    ctx.observe(
      'expected',
      "Karoo re-split the extranonce after the pool's set_extranonce: the board (no mining.extranonce.subscribe) was sent client.reconnect and disconnected",
    );
  }
  if (setExtranonce !== undefined) {
    const applied = recorder.since(setExtranonce.at, (e) => e.kind === 'extranonce').length > 0;
    const reaction: ExtranonceReaction = applied ? 'applied' : 'ignored';
    report(ctx, 'setExtranonce', reaction, `set_extranonce from the proxy: ${reaction}`);
  } else {
    ctx.observe(
      'info',
      'set_extranonce never reaches this board through Karoo: it did not send mining.extranonce.subscribe',
    );
  }
  const state = await waitMining(ctx, at, reconnect !== undefined);
  ctx.detail('extranonce1', { before: extranonceBefore ?? null, after: state.extranonce1 ?? null });
  const reconnects = recorder.since(at, isReconnecting);
  ctx.detail('reconnected', reconnects.length > 0);
  if (reconnects.length > 0) ctx.detail('reconnectAfterMs', reconnects[0]!.at - at);
  return at;
}

function waitMining(ctx: ScenarioContext, since: number, resubscribed: boolean) {
  return ctx.board.console.waitFor(
    (s) =>
      isMining(s) && (s.lastJob?.at ?? 0) >= since && (!resubscribed || (s.times.subscribed ?? 0) >= since),
    {
      timeoutMs: ctx.timing.reconnectMs,
      description: resubscribed ? 'the board to resubscribe and get a job' : 'a new job',
    },
  );
}

/** The answer to the next share the board sends: "accepted", "rejected (code reason)" or "none in time". */
async function nextShareAnswer(ctx: ScenarioContext): Promise<string> {
  let sent: { accepted: number; rejected: number } | undefined;
  try {
    const s = await ctx.board.console.waitFor(
      (state, e) => {
        if (sent === undefined) {
          if (
            e?.kind === 'share-hash' ||
            (e?.kind === 'stratum-tx' && e.payload.method === 'mining.submit')
          ) {
            sent = { accepted: state.sharesAccepted, rejected: state.sharesRejected };
          }
          return false;
        }
        return state.sharesAccepted > sent.accepted || state.sharesRejected > sent.rejected;
      },
      { timeoutMs: ctx.timing.shareMs, description: 'the next share and its answer' },
    );
    if (s.sharesAccepted > sent!.accepted) return 'accepted';
    const r = s.lastReject;
    return `rejected (${r?.code ?? '?'} ${r?.reason ?? ''})`.replace(/ \)$/, ')');
  } catch {
    return `none answered within ${ctx.timing.shareMs} ms`;
  }
}

function report(
  ctx: ScenarioContext,
  message: 'reconnect' | 'setExtranonce',
  reaction: ReconnectReaction | ExtranonceReaction,
  text: string,
): void {
  const firmware = ctx.board.console.state.firmware;
  const { kind, expected } = judgeReaction(firmware, message, reaction);
  ctx.detail(`${message}Reaction`, reaction);
  ctx.observe(
    kind,
    kind === 'finding'
      ? `${text} (documented for ${firmware ?? 'this firmware'}: ${expected ?? 'unknown'})`
      : text,
  );
}
