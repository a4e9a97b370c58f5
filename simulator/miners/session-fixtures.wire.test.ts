import { afterEach, describe, expect, test, vi } from 'vitest';
import { PATIENCE } from '../../test-support/patience.js';
import { startPool, type PoolSimulator } from '../pool/index.js';
import { MINER_PROFILES } from './types.js';
import { ScriptedPool } from '../../peers/scripted-pool.js';
import {
  HANDSHAKE_LINES,
  minerLines,
  readSessionFixture,
  recordHandshake,
  writeSessionFixture,
} from './test-support/session-fixtures.js';

const RECORD = process.env.KAROO_RECORD_FIXTURES === '1';

let scripted: ScriptedPool | undefined;
let real: PoolSimulator | undefined;
afterEach(async () => {
  await scripted?.close();
  await real?.close();
  scripted = undefined;
  real = undefined;
});

describe.each(MINER_PROFILES)('%s first lines', (profile) => {
  test('match fixtures/sessions against the scripted pool', async () => {
    scripted = await ScriptedPool.start({ deterministic: true });
    const entries = await recordHandshake(profile, scripted.url);
    if (RECORD) writeSessionFixture(profile, entries);
    const fixture = readSessionFixture(profile);
    expect(fixture.meta.profile).toBe(profile);
    expect(minerLines(entries)).toEqual(minerLines(fixture.entries));
    expect(minerLines(fixture.entries)).toHaveLength(HANDSHAKE_LINES[profile]);
    // What the pool received is exactly what the miner reported sending.
    const pool = scripted;
    await vi.waitFor(
      () => expect(pool.linesOf(0).slice(0, HANDSHAKE_LINES[profile])).toEqual(minerLines(fixture.entries)),
      PATIENCE,
    );
  });

  test('match fixtures/sessions against the pool simulator', async () => {
    real = await startPool({ port: 0 });
    const entries = await recordHandshake(profile, real.url);
    expect(minerLines(entries)).toEqual(minerLines(readSessionFixture(profile).entries));
  });
});
