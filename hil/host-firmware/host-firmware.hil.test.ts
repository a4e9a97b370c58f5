import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { PATIENCE } from '../../test-support/patience.js';
import { findElements, parseXml } from '../../test-support/xml-check.js';
import type { SuiteResult } from '../reports/suite-result.js';
import { failedCases } from '../test-support/failed-cases.js';
import { SCENARIOS } from '../scenarios/index.js';
import { buildHostFirmware, buildHostProgram } from './build-firmware.js';
import type { HostFirmwareBuild, HostProgramBuild } from './build-firmware.js';
import { arduinoJsonVersion, findArduinoJson } from './checkout.js';
import { createHostBoard } from './host-board.js';
import { hostFirmwareAsset } from './host-layer-dir.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MAIN = join(ROOT, 'dist/cli/main.js');
const SKETCH = hostFirmwareAsset('test-sketch');
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
  'fin-connected-while-unread',
  'fin-data-kept',
  'fin-not-connected',
  'write-after-reset',
  'connect-refused',
];

const DEFAULT_SCENARIOS = SCENARIOS.filter((s) => s.optional !== true).map((s) => s.name);

/** The tests build C++: where no compiler is installed they are skipped, saying so (CI installs g++). */
const COMPILER = process.env.CXX ?? 'g++';
const NO_COMPILER = spawnSync(COMPILER, ['--version']).status !== 0;
if (NO_COMPILER) {
  console.log(
    `firmware-on-the-host tests skipped: no C++ compiler (${COMPILER} --version failed; apt install g++ g++-multilib)`,
  );
}

let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'karoo-host-fw-'));
  env = { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The host layer's behaviours the firmware depends on (hex and float formatting, the String
 * layout printf sees, newlib's rand sequence, the Stream timeout, connected() on FIN, a failed
 * write closing the client, the hash-rate line), checked by a C++ program of ours built against it
 * with the flags a firmware build uses.
 */
describe.skipIf(NO_COMPILER)('the host layer (host-layer-check.cpp)', () => {
  let build: HostProgramBuild;
  let run: ReturnType<typeof spawnSync>;

  beforeAll(async () => {
    const program = join(dir, 'host-layer-check');
    // The cache the sketch's build uses next: the host core is compiled once for the file, here,
    // where what the compiler says about it is seen.
    build = await buildHostProgram({
      sources: [join(import.meta.dirname, 'host-layer-check', 'host-layer-check.cpp')],
      output: program,
      cacheDir: join(dir, 'cache', 'karoo', 'host-firmware'),
    });
    run = spawnSync(program, [], { encoding: 'utf8', timeout: 60_000 });
  }, 120_000);

  it('passes every check, in a 32-bit build where the compiler has -m32', () => {
    const lines = String(run.stdout).split('\n');
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('ok ')).map((l) => l.slice(3))).toEqual(CHECKS);
    expect(run.status).toBe(0);
    console.log(`host layer checked in a ${build.toolchain.bits}-bit build (${build.toolchain.version})`);
  });

  it('compiles without a warning under -Wall -Wextra', () => {
    expect(build.compilerOutput).toBe('');
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

/**
 * `karoo hil --host-firmware` on Karoo's own test sketch (test-sketch/): built once for the file
 * into a temporary cache, then run through the built command as CI runs it, and as single boards
 * to show what the host layer does where the firmware depends on it. The real NerdMiner_v2 goes
 * through the same path (hil/README.md "Firmware on the host").
 */

describe.skipIf(NO_COMPILER)('firmware on the host (the test sketch)', () => {
  let build: HostFirmwareBuild;

  beforeAll(async () => {
    build = await buildHostFirmware({ checkout: SKETCH, env });
  }, 120_000);

  const karoo = (...args: string[]) =>
    spawnSync(process.execPath, [MAIN, 'hil', ...args], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });

  it('is built once, 32-bit where the compiler can, and then comes from the cache by its hash', async () => {
    expect(build.cached).toBe(false);
    expect(build.binary.startsWith(join(dir, 'cache', 'karoo', 'host-firmware'))).toBe(true);
    console.log(`test sketch built ${build.bits}-bit by ${build.toolchain.version}`);
    const again = await buildHostFirmware({ checkout: SKETCH, env });
    expect(again).toMatchObject({ cached: true, binary: build.binary, hash: build.hash, bits: build.bits });
  });

  it('runs every scenario on 2 instances through the built command, with both reports', () => {
    const junit = join(dir, 'out.xml');
    const json = join(dir, 'out.json');
    const run = karoo('--host-firmware', SKETCH, '--boards', '2', '--junit', junit, '--json', json);
    const report = JSON.parse(readFileSync(json, 'utf8')) as SuiteResult;
    const failed = failedCases(report);
    expect(failed).toEqual([]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // The same binary, found by hash from another process.
    expect(run.stdout).toContain(
      `karoo hil: cached ${build.bits}-bit host firmware KarooTestSketch/1 from ${SKETCH}: ${build.binary}`,
    );
    expect(run.stdout).toContain(
      `karoo hil: ArduinoJson from ${join(SKETCH, 'lib', 'ArduinoJson', 'src')}\n`,
    );
    expect(run.stdout).toMatch(/^karoo hil: 14 passed, 0 failed, 0 skipped of 14 in /m);

    expect(report.boards.map((b) => [b.name, b.worker, b.firmware])).toEqual([
      ['host-1', 'bc1qkaroohilhostfirmware00000000000000000.host-1', 'nerdminer'],
      ['host-2', 'bc1qkaroohilhostfirmware00000000000000000.host-2', 'nerdminer'],
    ]);
    expect(report.boards[0]!.build).toMatch(
      new RegExp(`^NerdMiner KarooTestSketch/1 \\(${SKETCH}\\) built for this machine, ${build.bits}-bit, `),
    );
    for (const c of report.cases) {
      expect(c.binding).toMatchObject({
        by: 'worker',
        worker: report.boards.find((b) => b.name === c.board)!.worker,
      });
    }
    const byScenario = (name: string) => report.cases.filter((c) => c.scenario === name);
    expect(report.cases.map((c) => c.scenario).filter((s, i, all) => all.indexOf(s) === i)).toEqual(
      DEFAULT_SCENARIOS,
    );
    for (const c of byScenario('boots-and-connects')) {
      expect(c.excerpt.map((l) => l.line)).toContain('NerdMiner v2 starting......');
    }
    for (const c of byScenario('reconnect-and-extranonce')) {
      expect(c.details).toMatchObject({ reconnectReaction: 'ignored', reconnected: true });
    }
    for (const c of byScenario('hashrate-band')) {
      const median = c.details.medianKhs as number;
      expect(median).toBeGreaterThanOrEqual(40);
      expect(median).toBeLessThanOrEqual(450);
    }
    // Submits carry String(nonce, HEX): lowercase hex without leading zeros.
    const nonces = report.cases
      .flatMap((c) => c.excerpt.map((l) => l.line))
      .filter((l) => l.includes('"mining.submit"'))
      .map((l) => (JSON.parse(l.replace(/^\s*Sending\s*: /, '')) as { params: string[] }).params[4]!);
    expect(nonces.length).toBeGreaterThan(0);
    for (const n of nonces) expect(n).toMatch(/^[1-9a-f][0-9a-f]{0,7}$/);

    const root = parseXml(readFileSync(junit, 'utf8'));
    expect(root.attributes).toMatchObject({ tests: '14', failures: '0', skipped: '0' });
    const build1 = findElements(root, 'property').filter((p) => p.attributes.name === 'build');
    expect(build1).toHaveLength(2);
  });

  it('says which firmware file needs which missing host symbol, in one line plus the compiler excerpt', () => {
    const broken = join(dir, 'broken');
    cpSync(SKETCH, broken, { recursive: true });
    const mining = join(broken, 'src', 'mining.cpp');
    const source = readFileSync(mining, 'utf8').replace(
      'void stopWork() {\n',
      'void stopWork() {\n  esp_random();\n',
    );
    writeFileSync(mining, source);
    const line = source.split('\n').indexOf('  esp_random();') + 1;

    const run = karoo('--host-firmware', broken, '--scenario', 'subscribe-authorize');
    expect(run.status).toBe(1);
    const err = run.stderr.split('\n');
    expect(err[0]).toBe(
      `karoo hil: host build of ${broken} failed: src/mining.cpp:${line} uses esp_random, which the host layer does not declare`,
    );
    // The compiler's own line, paths relative to the checkout (its suggestions vary by version).
    expect(
      err.some((l) => l.startsWith(`  | src/mining.cpp:${line}:3: error: 'esp_random' was not declared`)),
    ).toBe(true);
    expect(err.find((l) => l.startsWith('  (the whole compiler output: '))).toBeDefined();
  });

  it('refuses a folder that is not a NerdMiner checkout: one line, exit 2', () => {
    const run = karoo('--host-firmware', ROOT, '--boards', '2');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `karoo: --host-firmware: ${ROOT} is not a NerdMiner_v2 checkout (no src/stratum.cpp, src/mining.cpp, src/utils.cpp, src/ShaTests/nerdSHA256plus.cpp, src/mining.h, src/drivers/storage/storage.h)\n`,
    );
  });

  it('finds ArduinoJson where PlatformIO installs it for the checkout, else an ArduinoJson 6 of PlatformIO or the Arduino IDE', () => {
    const checkout = join(dir, 'pio');
    const library = (at: string, version?: string): string => {
      mkdirSync(join(at, 'ArduinoJson'), { recursive: true });
      writeFileSync(join(at, 'ArduinoJson.h'), '');
      if (version !== undefined) {
        writeFileSync(join(at, 'ArduinoJson', 'version.hpp'), `#define ARDUINOJSON_VERSION "${version}"\n`);
      }
      return at;
    };
    const home = join(dir, 'home');
    library(join(home, '.platformio', 'lib', 'ArduinoJson_ID64', 'src'), '7.0.4');
    const ide = library(join(home, 'Arduino', 'libraries', 'ArduinoJson', 'src'), '6.21.5');
    // No ArduinoJson of the checkout's own: version 7 is passed over for the IDE's 6.
    expect(findArduinoJson(checkout, undefined, home)).toBe(ide);
    expect(arduinoJsonVersion(ide)).toBe('6.21.5');
    for (const env of ['b-env', 'a-env'])
      library(join(checkout, '.pio', 'libdeps', env, 'ArduinoJson', 'src'));
    expect(findArduinoJson(checkout, undefined, home)).toBe(
      join(checkout, '.pio', 'libdeps', 'a-env', 'ArduinoJson', 'src'),
    );
  });

  it('waits 1 + rand() % 60 s after a failed connect: with the default seed, 1 s each time', async () => {
    const closed = await listen(() => undefined);
    const port = address(closed);
    await close(closed);
    const board = createHostBoard({
      index: 1,
      binary: build.binary,
      stratumUrl: `stratum+tcp://127.0.0.1:${port}`,
    });
    onTestFinished(() => board.close());
    await board.reset();
    // Seed 1 (a fresh ESP32) would wait 54 s, then 4 s, before the third attempt.
    const state = await board.console.waitFor((s) => s.connectFailures >= 3, {
      timeoutMs: PATIENCE.timeout,
      description: 'three failed connects',
    });
    expect(state.connectFailures).toBeGreaterThanOrEqual(3);
  });

  it('gives up on a subscribe answer that stops mid-line (Stream timeout) and connects again', async () => {
    const sockets: Socket[] = [];
    let connections = 0;
    const pool = await listen((socket) => {
      connections++;
      sockets.push(socket);
      socket.once('data', () => socket.write('{"id":1,"result":[[["mining.notify","1"]],'));
    });
    onTestFinished(async () => {
      for (const s of sockets) s.destroy();
      await close(pool);
    });
    const board = createHostBoard({
      index: 1,
      binary: build.binary,
      stratumUrl: `stratum+tcp://127.0.0.1:${address(pool)}`,
    });
    onTestFinished(() => board.close());
    await board.reset();
    await vi.waitFor(() => expect(connections).toBeGreaterThanOrEqual(2), PATIENCE);
    expect(board.console.state.subscribed).toBe(false);
  });

  it('a firmware process that dies is a board gone, with its exit status and last stderr lines', async () => {
    const crash = join(dir, 'crash.sh');
    writeFileSync(
      crash,
      "#!/bin/sh\necho 'NerdMiner v2 starting......'\necho 'assert failed: stratum.cpp:42' >&2\nkill -SEGV $$\n",
    );
    chmodSync(crash, 0o755);
    const board = createHostBoard({ index: 3, binary: crash, stratumUrl: 'stratum+tcp://127.0.0.1:1' });
    onTestFinished(() => board.close());
    const gone = new Promise((resolve) => board.console.once('gone', resolve));
    await board.reset();
    await gone;
    expect(board.console.gone?.message).toBe(
      'board host-3 is gone: the firmware process exited (signal SIGSEGV); its stderr ended: assert failed: stratum.cpp:42',
    );
    // Everything it printed before it died was read.
    expect(board.console.state.boots).toBe(1);
  });
});

function listen(onConnection: (socket: Socket) => void): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((socket) => {
      // A board killed by its reset resets its connection; that is not this test's failure.
      socket.on('error', () => undefined);
      onConnection(socket);
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function address(server: Server): number {
  return (server.address() as { port: number }).port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
