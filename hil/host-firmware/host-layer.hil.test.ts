import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHostProgram } from './build-firmware.js';
import type { Toolchain } from './toolchain.js';

const CHECKS = [
  'hex-lowercase',
  'hex-unpadded',
  'hex-zero',
  'decimal-negative',
  'float-decimals',
  'sum',
  'trim',
  'substring',
  'string-through-varargs',
  'string-limit',
  'print',
  'rand-seed-1',
  'rand-seeded-waits',
  'connect',
  'read-until-timeout-text',
  'read-until-timeout-waits',
  'fin-not-connected',
  'fin-data-kept',
  'write-after-reset',
  'connect-refused',
];

/**
 * The host layer's behaviours the firmware depends on (hex and float formatting, the String
 * layout printf sees, newlib's rand sequence, the Stream timeout, connected() on FIN, a failed
 * write closing the client, the hash-rate line), checked by a C++ program of ours built against it
 * with the flags a firmware build uses.
 */
describe('the host layer (host-layer-check.cpp)', () => {
  let dir: string;
  let toolchain: Toolchain;
  let run: ReturnType<typeof spawnSync>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'karoo-host-layer-'));
    const program = join(dir, 'host-layer-check');
    toolchain = await buildHostProgram({
      sources: [join(import.meta.dirname, 'host-layer-check', 'host-layer-check.cpp')],
      output: program,
      cacheDir: join(dir, 'cache'),
    });
    run = spawnSync(program, [], { encoding: 'utf8', timeout: 60_000 });
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes every check, in a 32-bit build where the compiler has -m32', () => {
    const lines = String(run.stdout).split('\n');
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('ok ')).map((l) => l.slice(3))).toEqual(CHECKS);
    expect(run.status).toBe(0);
    console.log(`host layer checked in a ${toolchain.bits}-bit build (${toolchain.version})`);
  });

  it("prints NerdMiner's no-display hash-rate line, rounding as its monitor does", () => {
    expect(
      String(run.stdout)
        .split('\n')
        .filter((l) => l.startsWith('>>>')),
    ).toEqual([
      '>>> Completed 3 share(s), 150 Khashes, avg. hashrate 150.00 KH/s',
      '>>> Completed 3 share(s), 300 Khashes, avg. hashrate 150.00 KH/s',
      '>>> Completed 3 share(s), 450 Khashes, avg. hashrate 150.00 KH/s',
      '>>> Completed 3 share(s), 600 Khashes, avg. hashrate 150.0 KH/s',
    ]);
  });
});
