/**
 * fixtures/sessions/<profile>.jsonl: the first lines of each profile's session, up to its last
 * handshake line (authorize or suggest_difficulty), with the pool lines it saw in between.
 * Line 1 is `{"meta": {...}}`; every other line is `{"from": "miner" | "pool", "line": "..."}`,
 * `line` being the exact bytes without the newline. Regenerate with
 * `KAROO_RECORD_FIXTURES=1 npx vitest run simulator/miners/session-fixtures.wire.test.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMiner } from '../index.js';
import type { MinerOptions, MinerProfile } from '../types.js';

export const SESSION_FIXTURE_DIR = 'fixtures/sessions';

export interface FixtureEntry {
  from: 'miner' | 'pool';
  line: string;
}

export interface SessionFixtureMeta {
  profile: MinerProfile;
  firmware: string;
  source: string;
  worker: string;
  password: string;
  note: string;
}

export interface SessionFixture {
  meta: SessionFixtureMeta;
  entries: FixtureEntry[];
}

/** Lines a miner sends on a fresh connection before it starts mining. */
export const HANDSHAKE_LINES: Readonly<Record<MinerProfile, number>> = {
  nerdminer: 3,
  bitaxe: 4,
  cpu: 2,
  gpu: 3,
};

export const FIXTURE_META: Readonly<Record<MinerProfile, Omit<SessionFixtureMeta, 'profile' | 'note'>>> = {
  nerdminer: {
    firmware: 'NerdMiner_v2 V1.8.3',
    source: 'BitMaker-hub/NerdMiner_v2 src/stratum.cpp, src/mining.cpp',
    worker: 'karoo.nerd-01',
    password: 'x',
  },
  bitaxe: {
    firmware: 'ESP-Miner v2.9.0 on a BM1370 (Bitaxe Gamma)',
    source: 'bitaxeorg/ESP-Miner components/stratum/stratum_api.c, main/tasks/stratum_task.c',
    worker: 'karoo.bitaxe-01',
    password: 'x',
  },
  cpu: {
    firmware: 'cpuminer 2.5.1 (pooler)',
    source: 'pooler/cpuminer util.c, cpu-miner.c',
    worker: 'karoo.cpu-01',
    password: 'x',
  },
  gpu: {
    firmware: 'cgminer 4.12.1 layout (synthetic GPU rig, session 0 of 4)',
    source: 'ckolivas/cgminer util.c; BIP310 mining.configure',
    worker: 'karoo.gpu-01',
    password: 'x',
  },
};

export function fixturePath(profile: MinerProfile): string {
  return join(SESSION_FIXTURE_DIR, `${profile}.jsonl`);
}

export function readSessionFixture(profile: MinerProfile): SessionFixture {
  const [head, ...rest] = readFileSync(fixturePath(profile), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const meta = (JSON.parse(head as string) as { meta: SessionFixtureMeta }).meta;
  return { meta, entries: rest.map((l) => JSON.parse(l) as FixtureEntry) };
}

export function writeSessionFixture(profile: MinerProfile, entries: FixtureEntry[]): void {
  const meta: SessionFixtureMeta = {
    profile,
    ...FIXTURE_META[profile],
    note: 'Made by the simulator from the firmware format strings named in source, against the scripted test pool; not a hardware capture.',
  };
  const lines = [JSON.stringify({ meta }), ...entries.map((e) => JSON.stringify(e))];
  writeFileSync(fixturePath(profile), `${lines.join('\n')}\n`);
}

/** The lines a miner of `profile` sends (and receives on session 0) until its handshake is done. */
export async function recordHandshake(
  profile: MinerProfile,
  url: string,
  extra: Partial<MinerOptions> = {},
): Promise<FixtureEntry[]> {
  const meta = FIXTURE_META[profile];
  const miner = startMiner({
    profile,
    url,
    worker: meta.worker,
    password: meta.password,
    hashrate: 0,
    ...extra,
  });
  const entries: FixtureEntry[] = [];
  let sent = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${profile}: handshake not done; got ${JSON.stringify(entries)}`)),
        20_000,
      );
      miner.on('rx', (e) => {
        if (e.session === 0 && sent < HANDSHAKE_LINES[profile]) entries.push({ from: 'pool', line: e.line });
      });
      miner.on('tx', (e) => {
        if (e.session !== 0 || sent >= HANDSHAKE_LINES[profile]) return;
        entries.push({ from: 'miner', line: e.line });
        sent += 1;
        if (sent === HANDSHAKE_LINES[profile]) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  } finally {
    await miner.stop();
  }
  return entries;
}

export function minerLines(entries: readonly FixtureEntry[]): string[] {
  return entries.filter((e) => e.from === 'miner').map((e) => e.line);
}
