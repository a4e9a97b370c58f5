import { describe, expect, it } from 'vitest';
import { runScripted } from '../test-support/run-scripted.js';
import { SCENARIOS } from './index.js';

/** The suite a default run selects (the soak is optional). */
const DEFAULT_SCENARIOS = SCENARIOS.filter((s) => s.optional !== true).map((s) => s.name);

// Each scenario's logic against scripted NerdMiners and a fake bench, on a manual clock: what the
// end-to-end run over real ptys (hil/hil-command.cli.test.ts) cannot choose, such as whether the
// pool resumes the proxy's session, is chosen here.
describe('the suite on 2 scripted NerdMiners through a proxy', () => {
  it('passes every scenario, ties each case by worker name and records both sides', async () => {
    const { result } = await runScripted({
      bench: { kind: 'proxy' },
      boards: [{}, {}],
      scenarios: DEFAULT_SCENARIOS,
    });
    expect(result.cases.filter((c) => c.status !== 'passed')).toEqual([]);
    expect(result.totals).toEqual({ tests: 14, passed: 14, failed: 0, skipped: 0 });
    for (const c of result.cases)
      expect(c.binding).toMatchObject({ by: 'worker', worker: `bc1qscripted.rig${c.board.at(-1)}` });
    const one = (scenario: string) =>
      result.cases.find((c) => c.board === 'nerd-1' && c.scenario === scenario)!;
    expect(one('boots-and-connects').details).toEqual({
      limitMs: 20_000,
      bootMs: 0,
      wifiMs: 0,
      subscribedMs: 300,
      firstJobMs: 300,
      firmware: 'nerdminer',
    });
    expect(one('subscribe-authorize').details).toMatchObject({
      worker: 'bc1qscripted.rig1',
      extranonce2Size: 4,
    });
    expect(one('shares-accepted').details).toMatchObject({
      consoleAccepted: 2,
      consoleRejected: 0,
      benchAccepted: 2,
    });
    expect(one('difficulty-change').details).toMatchObject({
      poolBefore: 2e-5,
      poolAfter: 3e-5,
      sessionDifficulty: 3e-5,
    });
    expect(one('hashrate-band').details).toMatchObject({ samplesKhs: [58.2, 58.2, 58.2], medianKhs: 58.2 });
  });

  it('upstream-drop: a pool that hands out a new extranonce1 makes Karoo send the boards away, and they come back', async () => {
    const { result } = await runScripted({
      bench: { kind: 'proxy' },
      boards: [{}],
      scenarios: ['upstream-drop'],
    });
    const [c] = result.cases;
    expect(c).toMatchObject({
      status: 'passed',
      details: { boardReconnected: true, boardReconnectAfterMs: 100 },
    });
    expect(c!.observations[0]!.message).toMatch(/new extranonce1 .* sent client\.reconnect/);
  });

  it('upstream-drop: a pool that resumes the session keeps the boards connected', async () => {
    const { result } = await runScripted({
      bench: { kind: 'proxy', resumes: true },
      boards: [{}],
      scenarios: ['upstream-drop'],
    });
    const [c] = result.cases;
    expect(c).toMatchObject({
      status: 'passed',
      details: { boardReconnected: false, upstreamExtranonce1: { before: 'aa000001', after: 'aa000001' } },
    });
    expect(c!.observations[0]!.message).toMatch(/same extranonce1 \(session resume\): boards stay connected/);
  });

  it('reconnect-and-extranonce: the re-split reaches a NerdMiner as client.reconnect, which it ignores, and it is dropped and comes back', async () => {
    const { result } = await runScripted({
      bench: { kind: 'proxy' },
      boards: [{}],
      scenarios: ['reconnect-and-extranonce'],
    });
    expect(result.cases[0]).toMatchObject({
      status: 'passed',
      details: { reconnectReaction: 'ignored', reconnected: true },
    });
    expect(result.cases[0]!.observations.map((o) => o.kind)).toEqual(['expected', 'expected', 'info']);
  });

  it('fails shares-accepted when a share is rejected, naming the pool answer', async () => {
    const { result } = await runScripted({
      bench: { kind: 'proxy' },
      boards: [{ answers: [true, 23] }],
      scenarios: ['shares-accepted'],
    });
    expect(result.cases[0]).toMatchObject({ status: 'failed', errorCode: 'SCENARIO_ASSERTION' });
    expect(result.cases[0]!.message).toMatch(/^1 share\(s\) rejected meanwhile \(last: .*"code":23/);
  });

  it('fails difficulty-change when the share at the new difficulty is rejected', async () => {
    const { result } = await runScripted({
      bench: { kind: 'proxy' },
      boards: [{ answers: [23] }],
      scenarios: ['difficulty-change'],
    });
    expect(result.cases[0]).toMatchObject({ status: 'failed', errorCode: 'SCENARIO_ASSERTION' });
    expect(result.cases[0]!.message).toMatch(/^the share at the new difficulty was rejected/);
  });

  it('fails hashrate-band when the median is outside the band, and says by how much', async () => {
    const { result } = await runScripted({
      bench: { kind: 'proxy' },
      boards: [{ khs: 120 }],
      scenarios: ['hashrate-band'],
    });
    expect(result.cases[0]).toMatchObject({ status: 'failed', errorCode: 'SCENARIO_ASSERTION' });
    expect(result.cases[0]!.message).toBe('median hash rate 120.00 kH/s is outside 3.00-90.00 kH/s');
  });

  it('the pool-side scenarios are skipped against a running proxy, saying why', async () => {
    const { result } = await runScripted({
      bench: { kind: 'remote-proxy' },
      boards: [{}],
      scenarios: DEFAULT_SCENARIOS,
    });
    expect(result.cases.map((c) => [c.scenario, c.status])).toEqual([
      ['boots-and-connects', 'passed'],
      ['subscribe-authorize', 'passed'],
      ['shares-accepted', 'passed'],
      ['difficulty-change', 'skipped'],
      ['upstream-drop', 'skipped'],
      ['reconnect-and-extranonce', 'skipped'],
      ['hashrate-band', 'passed'],
    ]);
  });
});
