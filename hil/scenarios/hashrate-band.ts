import { median } from './board-checks.js';
import type { Scenario, ScenarioContext } from './scenario.js';

/** NerdMiner's monitor prints its hash rate once a second. */
const HASHRATE_LINE_MS = 1000;

/**
 * The median of the board's next hash-rate lines (">>> Completed ... avg. hashrate X KH/s") lies in
 * the band of its profile: the firmware's documented range for a real board, the configured cap
 * for a virtual one. The proxy's share-based estimate is reported alongside.
 */
export const hashrateBand: Scenario = {
  name: 'hashrate-band',
  title: 'reports a hashrate within the band of its profile',
  timeoutMs: (t) => t.bootMs + t.sessionMs + 3 * t.hashrateSamples * HASHRATE_LINE_MS + 20_000,
  async run(ctx: ScenarioContext) {
    await ctx.ensureMining();
    const { console } = ctx.board;
    if (console.state.firmware === 'bitaxe') {
      ctx.skip('ESP-Miner prints no per-second hash-rate line on its console');
    }
    const wanted = ctx.timing.hashrateSamples;
    const samples: number[] = [];
    await console.waitFor(
      (_s, e) => {
        if (e?.kind === 'hashrate') samples.push(e.khps);
        return samples.length >= wanted;
      },
      {
        timeoutMs: 3 * wanted * HASHRATE_LINE_MS + 10_000,
        description: `${wanted} hash-rate lines`,
      },
    );
    const khs = median(samples);
    const [min, max] = ctx.hashrateBandKhs;
    ctx.detail('samplesKhs', samples);
    ctx.detail('medianKhs', khs);
    ctx.detail('bandKhs', [min, max]);
    const bound = await ctx.session();
    ctx.detail('benchEstimateKhs', bound.session.hashrate === null ? null : bound.session.hashrate / 1000);
    ctx.check(
      khs >= min && khs <= max,
      `median hash rate ${khs.toFixed(2)} kH/s is outside ${min.toFixed(2)}-${max.toFixed(2)} kH/s`,
    );
  },
};
