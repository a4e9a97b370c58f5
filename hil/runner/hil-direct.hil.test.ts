import { describe, expect, it } from 'vitest';
import { runHil } from './run-hil.js';

describe('the HIL suite with boards mining straight to the pool (--direct)', () => {
  it('records NerdMiner ignoring client.reconnect and set_extranonce as expected behaviour, and puts it right', async () => {
    const result = await runHil({
      virtual: 1,
      direct: true,
      // Twice the default hash rate: shares come twice as often.
      virtualHashrate: 120_000,
      scenarios: ['subscribe-authorize', 'upstream-drop', 'reconnect-and-extranonce'],
    });
    const failed = result.cases
      .filter((c) => c.status === 'failed')
      .map((c) => `${c.scenario}: ${c.message}`);
    expect(failed).toEqual([]);
    expect(result.bench.kind).toBe('direct');
    expect(result.bench.proxyUrl).toBeUndefined();

    const drop = result.cases.find((c) => c.scenario === 'upstream-drop')!;
    expect(drop.details).toMatchObject({ boardReconnected: true });

    const quirks = result.cases.find((c) => c.scenario === 'reconnect-and-extranonce')!;
    expect(quirks.details).toMatchObject({ reconnectReaction: 'ignored', setExtranonceReaction: 'ignored' });
    expect(quirks.observations.map((o) => o.kind)).toEqual(['expected', 'expected']);
    expect(quirks.observations[0]!.message).toMatch(/^client\.reconnect: ignored \("Parsed JSON: unknown"\)/);
    // It kept its old extranonce1, so the pool rejects its next share (bad hash, or stale job).
    expect(quirks.observations[1]!.message).toMatch(
      /^set_extranonce: ignored, kept extranonce1 [0-9a-f]+ \(offered [0-9a-f]+\); next share rejected \(2[0-3] /,
    );
    const lines = quirks.excerpt.map((l) => l.line);
    expect(lines.some((l) => l.includes('"method":"client.reconnect"'))).toBe(true);
    expect(lines.some((l) => l.includes('"method":"mining.set_extranonce"'))).toBe(true);
    expect(lines).toContain('  Parsed JSON: unknown');
  }, 90_000);
});
