import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../runtime/logger.js';
import { silentLogger } from '../../runtime/logger.js';
import type { PoolSimulator } from '../../simulator/pool/index.js';
import type { JsonValue } from '../../stratum/index.js';
import { startRecorder } from '../capture/recording-tap.js';
import type { RunningRecorder } from '../capture/recording-tap.js';
import { runEdgeCases } from './edge-case-driver.js';
import type { FixtureTargetSpec } from './fixture-target.js';
import { FIXTURE_KAROO, FIXTURE_POOL, startFixtureTarget } from './fixture-target.js';
import { runProfile } from './profile-driver.js';
import { runStratumClient } from './stratum-client-driver.js';

export interface FixtureSpec {
  /** File name without .jsonl; sessions after the first get -2, -3, ... */
  name: string;
  target: FixtureTargetSpec;
  note: string;
  drive: (recorder: RunningRecorder, pool: PoolSimulator) => Promise<void>;
}

const POOL: FixtureTargetSpec = { kind: 'pool-simulator', pool: FIXTURE_POOL };
const KAROO: FixtureTargetSpec = { kind: 'karoo', pool: FIXTURE_POOL, karoo: FIXTURE_KAROO };

/** Every fixture in fixtures/recordings/, and how it is made. */
export const FIXTURES: readonly FixtureSpec[] = [
  {
    name: 'pool-nerdminer',
    target: POOL,
    note: 'simulated NerdMiner V1.8.3 against the pool simulator: unpadded nonces, suggest_difficulty, a new block',
    drive: (r, p) => runProfile({ profile: 'nerdminer', before: 3, after: 2, hashrate: 150_000 }, r, p),
  },
  {
    name: 'pool-bitaxe',
    target: POOL,
    note: 'simulated Bitaxe (ESP-Miner) against the pool simulator: version rolling, every 4th share stale',
    drive: (r, p) =>
      runProfile(
        { profile: 'bitaxe', before: 4, after: 3, hashrate: 5_000, faults: { staleShareEvery: 4 } },
        r,
        p,
      ),
  },
  {
    name: 'pool-cpu',
    target: POOL,
    note: 'simulated cpuminer against the pool simulator: every submit id 4, every 3rd share sent twice',
    drive: (r, p) =>
      runProfile(
        { profile: 'cpu', before: 4, after: 3, hashrate: 5_000, faults: { duplicateEvery: 3 } },
        r,
        p,
      ),
  },
  {
    name: 'pool-gpu',
    target: POOL,
    note: 'simulated GPU rig (2 sessions, one recording each) against the pool simulator: every 3rd share bad',
    drive: (r, p) =>
      runProfile(
        { profile: 'gpu', before: 4, after: 3, hashrate: 10_000, sessions: 2, faults: { badShareEvery: 3 } },
        r,
        p,
      ),
  },
  {
    name: 'pool-edge-cases',
    target: POOL,
    note: 'scripted session against the pool simulator: every share verdict, ping, unknown method, oversized line',
    drive: runEdgeCases,
  },
  {
    name: 'karoo-nerdminer',
    target: KAROO,
    note: 'simulated NerdMiner V1.8.3 through Karoo in front of the pool simulator',
    drive: (r, p) => runProfile({ profile: 'nerdminer', before: 3, after: 2, hashrate: 150_000 }, r, p),
  },
  {
    name: 'karoo-bitaxe',
    target: KAROO,
    note: 'simulated Bitaxe (ESP-Miner) through Karoo in front of the pool simulator: version rolling',
    drive: (r, p) => runProfile({ profile: 'bitaxe', before: 4, after: 3, hashrate: 5_000 }, r, p),
  },
  {
    name: 'karoo-stratum-client',
    target: KAROO,
    note: 'the npm stratum-client package through Karoo in front of the pool simulator: string ids, a duplicate, a new block',
    drive: runStratumClient,
  },
  {
    name: 'karoo-edge-cases',
    target: KAROO,
    note: 'scripted session through Karoo in front of the pool simulator: every share verdict, ping, unknown method, oversized line',
    drive: runEdgeCases,
  },
];

/**
 * Records each fixture (or those named in `only`) into `outDir`, replacing files of the same
 * name. Returns the paths written.
 */
export async function generateFixtures(
  outDir: string,
  options: { only?: readonly string[]; logger?: Logger } = {},
): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const spec of FIXTURES) {
    if (options.only !== undefined && !options.only.includes(spec.name)) continue;
    written.push(...(await recordFixture(spec, outDir, options.logger ?? silentLogger())));
  }
  return written;
}

async function recordFixture(spec: FixtureSpec, outDir: string, logger: Logger): Promise<string[]> {
  const target = await startFixtureTarget(spec.target, logger);
  const scratch = mkdtempSync(join(tmpdir(), 'karoo-fixture-'));
  const recorder = await startRecorder({
    listen: { host: '127.0.0.1', port: 0 },
    upstream: target.address,
    outDir: scratch,
    target: spec.target as unknown as { [key: string]: JsonValue },
    note: spec.note,
    logger,
  });
  try {
    await spec.drive(recorder, target.pool);
    await waitForSessions(recorder);
  } finally {
    await recorder.close();
    await target.stop();
  }
  const files = readdirSync(scratch).sort();
  const out = files.map((f, i) => {
    const dest = join(
      outDir,
      files.length === 1 || i === 0 ? `${spec.name}.jsonl` : `${spec.name}-${i + 1}.jsonl`,
    );
    renameSync(join(scratch, f), dest);
    return dest;
  });
  rmSync(scratch, { recursive: true, force: true });
  return out;
}

/** Waits (bounded) until the miner's connections have closed and their files are complete. */
async function waitForSessions(recorder: RunningRecorder): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (recorder.openSessions > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
