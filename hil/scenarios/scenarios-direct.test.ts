import { describe, expect, it } from 'vitest';
import { runScripted } from '../test-support/run-scripted.js';

// --direct: the boards mine to the pool simulator itself, which sends them client.reconnect and
// mining.set_extranonce. Scripted NerdMiners on a manual clock (see scenarios-proxy.test.ts).
describe('the suite on a scripted NerdMiner mining straight to the pool', () => {
  it('records NerdMiner ignoring client.reconnect and set_extranonce as expected, and puts it right', async () => {
    const { result, boards } = await runScripted({
      bench: { kind: 'direct' },
      boards: [{}],
      scenarios: ['subscribe-authorize', 'upstream-drop', 'reconnect-and-extranonce'],
    });
    expect(result.cases.map((c) => [c.scenario, c.status, c.message])).toEqual([
      ['subscribe-authorize', 'passed', undefined],
      ['upstream-drop', 'passed', undefined],
      ['reconnect-and-extranonce', 'passed', undefined],
    ]);
    expect(result.cases[1]!.details).toMatchObject({ boardReconnected: true, boardReconnectAfterMs: 100 });
    const quirks = result.cases[2]!;
    expect(quirks.details).toMatchObject({ reconnectReaction: 'ignored', setExtranonceReaction: 'ignored' });
    expect(quirks.observations).toEqual([
      {
        kind: 'expected',
        message:
          'client.reconnect: ignored ("Parsed JSON: unknown"), still on the same connection after 500 ms',
      },
      {
        kind: 'expected',
        message: expect.stringMatching(
          /^set_extranonce: ignored, kept extranonce1 [0-9a-f]{8} \(offered [0-9a-f]{8}\); next share rejected \(23 Rejected\)$/,
        ),
      },
    ]);
    // Put right: dropped, it reconnected (a new session) and mined again.
    expect(boards[0]!.console.state.boots).toBe(1);
  });

  it('records a board that follows client.reconnect and applies set_extranonce as a finding for NerdMiner firmware', async () => {
    const { result } = await runScripted({
      bench: { kind: 'direct' },
      boards: [{ reaction: 'follow' }],
      scenarios: ['reconnect-and-extranonce'],
    });
    const [c] = result.cases;
    expect(c).toMatchObject({
      status: 'passed',
      details: { reconnectReaction: 'followed', setExtranonceReaction: 'applied' },
    });
    expect(c!.observations.map((o) => o.kind)).toEqual(['finding', 'finding']);
    expect(c!.observations[0]!.message).toBe(
      'client.reconnect: the board reconnected (documented for nerdminer: ignored)',
    );
  });

  it('soak: keeps mining for the whole time and passes; counts what it saw', async () => {
    const { result } = await runScripted({
      bench: { kind: 'direct' },
      boards: [{}],
      scenarios: ['soak'],
      timing: { soakMs: 60_000 },
    });
    expect(result.cases[0]).toMatchObject({
      status: 'passed',
      durationMs: 60_000 + 300 + 2 * 5,
      details: { soakMs: 60_000, accepted: 40, rejected: 0, stalls: 0, connectFailures: 0 },
    });
  });

  it('soak: fails when more than 5% of the shares are rejected', async () => {
    const { result } = await runScripted({
      bench: { kind: 'direct' },
      boards: [{ answers: [true, 23, 23, true] }],
      scenarios: ['soak'],
      timing: { soakMs: 30_000 },
    });
    expect(result.cases[0]).toMatchObject({ status: 'failed', errorCode: 'SCENARIO_ASSERTION' });
    expect(result.cases[0]!.message).toBe('2 of 20 shares rejected (over 5%)');
  });

  it('boots-and-connects fails a board whose reset fails, and later cases wait for it instead', async () => {
    const { result, boards } = await runScripted({
      bench: { kind: 'direct' },
      boards: [{ resetFails: new Error('set failed: Inappropriate ioctl for device') }],
      scenarios: ['boots-and-connects', 'subscribe-authorize'],
      timing: { bootMs: 2000 },
    });
    expect(boards[0]!.resets).toBe(1);
    expect(result.cases.map((c) => [c.scenario, c.status, c.message])).toEqual([
      ['boots-and-connects', 'failed', 'set failed: Inappropriate ioctl for device'],
      [
        'subscribe-authorize',
        'failed',
        'timed out after 2000 ms waiting for the board to subscribe and get a job on nerd-1',
      ],
    ]);
    expect(result.cases[1]!.observations[0]!.message).toMatch(
      /^an earlier reset failed .*: waiting for the board to connect$/,
    );
  });
});
